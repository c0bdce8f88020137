import type { Price } from './services.ts';

/** A provider's service as the catalog API shows it. Times are ISO 8601 UTC strings. */
export interface ServiceView {
  id: number;
  providerId: number;
  providerName: string;
  categoryId: number | null;
  title: string;
  description: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  price: Price;
  minNoticeMinutes: number;
  maxDaysAhead: number;
  /** A confirmed booking is accepted at once instead of waiting for the provider's answer. */
  autoAccept: boolean;
  position: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}
