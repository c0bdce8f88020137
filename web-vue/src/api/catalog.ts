/** The catalog API (docs/api-catalog.md): services, the category tree, provider profiles, slots. */
import type { Money, PresentedSlot as Slot, ServiceView as Service } from '../../../domain/contract.ts';
import { http } from './http';
import type { Id } from './types';

/** A slot as the API presents it in the asked timezone. */
export type { Money, Service, Slot };

/** A service before it is saved (the form's preview): no place in the list and no times yet. */
export type ServiceDraft = Omit<Service, 'position' | 'createdAt' | 'updatedAt'>;

export interface CategoryNode {
  id: Id;
  name: string;
  slug: string;
  children: CategoryNode[];
}

export interface ProviderRating {
  /** Null before the first rating. */
  mean: number | null;
  count: number;
}

export interface Provider {
  id: Id;
  name: string;
  timezone: string;
  bio: string;
  responseSlaMinutes: number;
  rating: ProviderRating;
  services: Service[];
}

export interface SlotRange {
  providerTimezone: string;
  timezone: string;
  from: string;
  to: string;
  slots: Slot[];
}

export interface ServiceSearch {
  q?: string;
  categoryId?: Id;
  providerId?: Id;
  minPrice?: number;
  maxPrice?: number;
  currency?: string;
  page: number;
  pageSize: number;
}

export interface ServicePage {
  items: Service[];
  total: number;
  page: number;
  pageSize: number;
}

export const catalogApi = {
  searchServices: (search: ServiceSearch) => http.get<ServicePage>('/services', { ...search }),
  categories: () => http.get<CategoryNode[]>('/categories'),
  provider: (id: Id) => http.get<Provider>(`/providers/${id}`),
  nextOpen: (providerId: Id, serviceId: Id) => http.get<{ start: string | null }>(`/providers/${providerId}/slots/next_open`, { serviceId }),
  slots: (providerId: Id, query: { serviceId: Id; from: string; to: string; tz: string }) =>
    http.get<SlotRange>(`/providers/${providerId}/slots`, query),
};
