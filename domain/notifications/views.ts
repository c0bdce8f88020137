/** A notification in the app's bell, as `GET /notifications` and the `user:<id>` topic carry it. */
export interface NotificationView {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
}
