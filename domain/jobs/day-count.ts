/** One of the viewer's days of a job's runs (`GET /jobs/:id/daily`). */
export interface DayCount {
  /** The viewer's calendar day, YYYY-MM-DD. */
  date: string;
  succeeded: number;
  failed: number;
  /** Every run scheduled that day: also running, retrying, missed and skipped ones. */
  total: number;
}
