/** A provider's own business (docs/api-catalog.md): profile, services, weekly hours, time off, calendar feeds. */
import type { BlockView as Block, CalendarFeedView as CalendarFeed, DateOverride, LocalInterval, PreviewDay, ProviderProfileInput, Weekday, WeeklyTemplate } from '../../../domain/contract.ts';
import { http } from './http';
import type { Provider, Service, ServiceDraft } from './catalog';
import type { Id } from './types';

export type OwnProfile = Omit<Provider, 'services'>;

export type ServiceInput = Omit<ServiceDraft, 'id' | 'providerId' | 'providerName' | 'active'>;

export type { CalendarFeed, LocalInterval, PreviewDay, Weekday, WeeklyTemplate };

/** The week in the API's order, Monday first (the list itself is code, which the web app does not take from domain/). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const satisfies readonly Weekday[];

export interface Availability {
  timezone: string;
  template: WeeklyTemplate;
  overrides: DateOverride[];
  blocks: Block[];
}

export const providerApi = {
  profile: () => http.get<OwnProfile>('/providers/me/profile'),
  saveProfile: (input: ProviderProfileInput) => http.put<OwnProfile>('/providers/me/profile', input),
  services: () => http.get<{ items: Service[] }>('/providers/me/services'),
  createService: (input: ServiceInput) => http.post<Service>('/services', input),
  updateService: (id: Id, change: Partial<ServiceInput> & { active?: boolean }) => http.patch<Service>(`/services/${id}`, change),
  reorderServices: (ids: Id[]) => http.put<{ items: Service[] }>('/providers/me/services/order', { ids }),
  availability: () => http.get<Availability>('/providers/me/availability'),
  saveTemplate: (template: WeeklyTemplate) => http.put<{ template: WeeklyTemplate }>('/providers/me/availability/template', template),
  putOverride: ({ date, ...body }: DateOverride) => http.put<DateOverride>(`/providers/me/availability/overrides/${date}`, body),
  deleteOverride: (date: string) => http.delete(`/providers/me/availability/overrides/${date}`),
  addTimeOff: (block: { start: string; end: string; reason: string }) => http.post<Block>('/providers/me/blocks', block),
  deleteTimeOff: (id: Id) => http.delete(`/providers/me/blocks/${id}`),
  preview: (query: { weeks: number; serviceId?: Id }) => http.get<{ timezone: string; days: PreviewDay[] }>('/providers/me/availability/preview', { ...query }),
  calendars: () => http.get<{ items: CalendarFeed[] }>('/providers/me/calendars'),
  addCalendar: (input: { url: string; label: string }) => http.post<CalendarFeed>('/providers/me/calendars', input),
  deleteCalendar: (id: Id) => http.delete(`/providers/me/calendars/${id}`),
  refreshCalendar: (id: Id) => http.post<CalendarFeed>(`/providers/me/calendars/${id}/refresh`),
};
