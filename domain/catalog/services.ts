/**
 * What a service is as the API takes it in and hands it out, and who may change one. Money is an
 * integer amount of the currency's minor unit (cents) with its ISO 4217 code.
 */
import { z } from 'zod';
import type { ServiceTiming } from '../availability/schemas.ts';
import { currencySchema } from '../money.ts';

export const PRICE_KINDS = ['fixed', 'hourly'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

/** The furthest ahead any service may be booked; slot caches rely on it as an upper bound. */
export const MAX_DAYS_AHEAD = 365;

const minor = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const priceSchema = z.object({ kind: z.enum(PRICE_KINDS), amountMinor: minor, currency: currencySchema });
export type Price = z.infer<typeof priceSchema>;

const fields = {
  title: z.string().trim().min(1, 'is required').max(120),
  description: z.string().trim().max(5000),
  categoryId: z.int().positive().nullable(),
  durationMinutes: z.int().min(5).max(24 * 60),
  bufferBeforeMinutes: z.int().min(0).max(240),
  bufferAfterMinutes: z.int().min(0).max(240),
  price: priceSchema,
  minNoticeMinutes: z.int().min(0).max(30 * 24 * 60),
  maxDaysAhead: z.int().min(1).max(MAX_DAYS_AHEAD),
  autoAccept: z.boolean(),
};

/** `providerId` is for admins creating a service for a provider; a provider's own id is implied. */
export const createServiceSchema = z.object({
  ...fields,
  description: fields.description.default(''),
  categoryId: fields.categoryId.default(null),
  bufferBeforeMinutes: fields.bufferBeforeMinutes.default(0),
  bufferAfterMinutes: fields.bufferAfterMinutes.default(0),
  minNoticeMinutes: fields.minNoticeMinutes.default(60),
  maxDaysAhead: fields.maxDaysAhead.default(60),
  autoAccept: fields.autoAccept.default(false),
  providerId: z.int().positive().optional(),
});
export type NewService = z.infer<typeof createServiceSchema>;

export const updateServiceSchema = z
  .object({ ...fields, active: z.boolean() })
  .partial()
  .refine((change) => Object.values(change).some((v) => v !== undefined), 'give at least one field to change');
export type ServiceChange = z.infer<typeof updateServiceSchema>;

/** Every one of the provider's services, each once, in the new order. */
export const serviceOrderSchema = z.object({ ids: z.array(z.int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(500) });

const optionalId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional();
const optionalMinor = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional();

export const searchServicesSchema = z
  .object({
    q: z.string().trim().max(200).optional().transform((q) => q || undefined),
    categoryId: optionalId,
    providerId: optionalId,
    minPrice: optionalMinor,
    maxPrice: optionalMinor,
    currency: currencySchema.optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((s) => s.minPrice === undefined || s.maxPrice === undefined || s.minPrice <= s.maxPrice, { message: 'minPrice must not exceed maxPrice', path: ['maxPrice'] });
export type ServiceSearch = z.infer<typeof searchServicesSchema>;

export interface ServiceOwnerView {
  providerId: number;
  active: boolean;
  providerEnabled: boolean;
}

export interface CatalogViewer {
  id: number;
  role: 'admin' | 'provider' | 'customer';
}

/** A provider changes their own services only; an admin any. */
export function mayManageService(viewer: CatalogViewer, providerId: number): boolean {
  return viewer.role === 'admin' || (viewer.role === 'provider' && viewer.id === providerId);
}

/** Inactive services and those of disabled providers are gone for everyone but their manager. */
export function mayViewService(viewer: CatalogViewer | null, service: ServiceOwnerView): boolean {
  if (service.active && service.providerEnabled) return true;
  return viewer !== null && mayManageService(viewer, service.providerId);
}

export interface ServiceTimingFields {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/**
 * The service's slot shape with the widest booking window: slots are generated (and cached)
 * without minimum notice or horizon, which depend on the moment of asking and are applied after.
 */
export function unboundedTiming(service: ServiceTimingFields): ServiceTiming {
  return {
    durationMinutes: service.durationMinutes,
    bufferBeforeMinutes: service.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
    minimumNoticeMinutes: 0,
    maximumDaysAhead: MAX_DAYS_AHEAD,
  };
}
