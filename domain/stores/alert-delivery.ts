import { z } from 'zod';
import type { OrgRole } from '../identity/roles.ts';
import { canonicalTimezoneSchema } from '../availability/timezone.ts';
import { STORE_ALERT_KINDS, type StoreAlertKind } from './alert-rules.ts';

/**
 * How a person hears of a store alert by email. The app always shows alerts (the store's
 * dashboard, and owners' and admins' notifications); this only says what reaches their inbox.
 */
export const ALERT_DELIVERIES = ['immediate', 'digest', 'none'] as const;
export type AlertDelivery = (typeof ALERT_DELIVERIES)[number];

/** Kinds that can wait a day: stock runs low all the time in a busy shop, and each product would mail. */
const DIGEST_BY_DEFAULT: ReadonlySet<StoreAlertKind> = new Set(['low_stock']);

/**
 * Until a person chooses: owners and admins, who run the store, hear of the urgent kinds at once
 * and of low stock in the digest; members, who did not ask for mail, get everything in the digest.
 */
export function defaultDelivery(role: OrgRole, kind: StoreAlertKind): AlertDelivery {
  if (role === 'member' || DIGEST_BY_DEFAULT.has(kind)) return 'digest';
  return 'immediate';
}

export type DeliveryChoices = Partial<Record<StoreAlertKind, AlertDelivery>>;

export function deliveryOf(role: OrgRole, kind: StoreAlertKind, chosen: DeliveryChoices): AlertDelivery {
  return chosen[kind] ?? defaultDelivery(role, kind);
}

export const DEFAULT_DIGEST_HOUR = 8;
export const DEFAULT_DIGEST_TIMEZONE = 'UTC';

const deliveriesSchema = z.partialRecord(z.enum(STORE_ALERT_KINDS), z.enum(ALERT_DELIVERIES));

/** PUT /me/alert_settings: the digest's hour and zone, and per organization the kinds' deliveries (those not given keep theirs). */
export const alertSettingsInputSchema = z
  .object({
    digest: z.object({ hour: z.number().int().min(0).max(23), timezone: canonicalTimezoneSchema }).strict().optional(),
    organizations: z
      .array(z.object({ organizationId: z.number().int().positive(), deliveries: deliveriesSchema }).strict())
      .max(100)
      .refine((orgs) => new Set(orgs.map((o) => o.organizationId)).size === orgs.length, { message: 'each organization once' })
      .optional(),
  })
  .strict();
export type AlertSettingsInput = z.infer<typeof alertSettingsInputSchema>;

/** GET /me/alert_settings: the person's digest and, per organization they belong to, how each kind reaches them. */
export interface AlertSettingsView {
  digest: { hour: number; timezone: string; chosen: boolean };
  organizations: Array<{ organizationId: number; name: string; role: OrgRole; deliveries: Record<StoreAlertKind, AlertDelivery> }>;
}
