/**
 * A store's connection health as the API answers it and the web app shows it (one contract:
 * the web app imports this type, and writes no twin of it).
 */
export interface StoreHealthView {
  lastWebhookAt: string | null;
  webhookErrors: number;
  lastError: string | null;
  lastErrorAt: string | null;
  reconciledAt: string | null;
  webhooksQuietSince: string | null;
  /** Topics registered with the platform by us (none for webhooks the merchant made), as of webhooksCheckedAt. */
  webhooks: string[];
  webhooksCheckedAt: string | null;
  /** Whether the platform took the credentials on the last call that could tell; null before any. */
  tokenValid: boolean | null;
  tokenCheckedAt: string | null;
}
