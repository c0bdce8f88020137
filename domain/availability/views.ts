/** A provider's time off or a calendar's busy time, as the availability API shows it (times ISO 8601 UTC). */
export interface BlockView {
  id: number;
  start: string;
  end: string;
  source: 'provider' | 'external';
  calendar: string | null;
  reason: string;
}
