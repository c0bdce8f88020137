/** Mail a development install kept instead of sending, so its links can be followed on one machine. */
export interface OutboxMailView {
  id: number;
  to: string;
  kind: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** `GET /dev/outbox`: a page of kept mail, newest first, with the counts of every recipient and kind (unfiltered) to filter by. */
export interface OutboxPage {
  items: OutboxMailView[];
  total: number;
  page: number;
  pageSize: number;
  kinds: { kind: string; count: number }[];
  recipients: { to: string; count: number }[];
}
