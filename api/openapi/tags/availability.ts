import { z } from 'zod';
import { dateOverrideSchema, weeklyTemplateSchema } from '../../../domain/availability/schemas.ts';
import { nextOpenQuerySchema, overrideDateSchema, providerBlockSchema, slotsQuerySchema } from '../../../domain/catalog/availability-inputs.ts';
import { hoursPreviewQuerySchema } from '../../../domain/catalog/hours-preview.ts';
import { calendarFeedInputSchema } from '../../../domain/calendar/feed-input.ts';
import { arrayOf, inputSchema, integerId, isoDateTime, nullable, object } from '../json-schema.ts';
import { created, noContent, ok, V1, type TagSpec } from '../operation.ts';

/** The override's body is the override without its date: the route takes the date from the path. */
const [closedDay, ownHours] = dateOverrideSchema.options;
const overrideBody = z.union([closedDay.omit({ date: true }), ownHours.omit({ date: true })]);
const date = { date: inputSchema(overrideDateSchema) };
const block = object({ id: integerId, start: isoDateTime, end: isoDateTime, source: { type: 'string' }, calendar: nullable({ type: 'string' }), reason: { type: 'string' } });
const template = inputSchema(weeklyTemplateSchema);
const feed = object({ id: integerId, label: { type: 'string' }, host: { type: 'string' }, lastSyncedAt: nullable(isoDateTime), lastError: nullable({ type: 'string' }), busyEvents: { type: 'integer' } });

export const availabilityTag: TagSpec = {
  name: 'availability',
  description: "A provider's weekly hours, date overrides and blocks (provider with a profile; 409 `profile-missing` before one), and the bookable slots.",
  operations: [
    {
      method: 'get',
      path: `${V1}/providers/me/availability`,
      summary: 'Weekly template, overrides from today, blocks not yet over',
      auth: 'user',
      success: ok('Availability', object({ timezone: { type: 'string' }, template, overrides: arrayOf({ type: 'object' }), blocks: arrayOf(block) })),
      problems: [409],
    },
    {
      method: 'get',
      path: `${V1}/providers/me/availability/preview`,
      summary: "The next weeks' days from today in the provider's zone, with their open slots (a service's shape, or hour slots)",
      auth: 'user',
      query: hoursPreviewQuerySchema,
      success: ok('Preview', object({ timezone: { type: 'string' }, days: arrayOf(object({ date: { type: 'string' }, weekday: { type: 'integer' }, zoneLabel: { type: 'string' }, open: arrayOf({ type: 'object' }), taken: { type: 'integer' } })) })),
      problems: [404, 409],
    },
    { method: 'put', path: `${V1}/providers/me/availability/template`, summary: 'Replace the weekly template (a day left out is off)', auth: 'user', body: weeklyTemplateSchema, success: ok('The template', object({ timezone: { type: 'string' }, template })), problems: [409] },
    { method: 'put', path: `${V1}/providers/me/availability/overrides/:date`, summary: 'Set one local date closed or to its own intervals', auth: 'user', params: date, body: overrideBody, success: ok('The override', inputSchema(dateOverrideSchema)), problems: [409] },
    { method: 'delete', path: `${V1}/providers/me/availability/overrides/:date`, summary: "Remove a date's override", auth: 'user', params: date, success: noContent('Removed'), problems: [404, 409] },
    { method: 'post', path: `${V1}/providers/me/blocks`, summary: 'Block time by hand', auth: 'user', body: providerBlockSchema, success: created('The block', block), problems: [409] },
    { method: 'delete', path: `${V1}/providers/me/blocks/:id`, summary: "Remove one of the provider's own blocks", auth: 'user', success: noContent('Removed'), problems: [404, 409] },
    {
      method: 'get',
      path: `${V1}/providers/:id/slots/next_open`,
      summary: "The first open slot of a provider's service within its booking window (null when none), for opening a calendar on its week",
      auth: 'optional',
      query: nextOpenQuerySchema,
      success: ok('The first open slot', object({ start: nullable(isoDateTime) })),
      problems: [404],
    },
    { method: 'get', path: `${V1}/providers/me/calendars`, summary: "The provider's iCalendar feeds and how their last refresh went", auth: 'user', success: ok('Feeds', object({ items: arrayOf(feed) })), problems: [409] },
    {
      method: 'post',
      path: `${V1}/providers/me/calendars`,
      summary: 'Subscribe to an iCalendar (ICS) feed: its busy events block slots',
      description: 'The address is kept encrypted and shown by host only. The calendar actor `calendar-<providerId>` reads it at once and then every 15 minutes, backing off after failures.',
      auth: 'user',
      body: calendarFeedInputSchema,
      success: created('The feed', feed),
      problems: [409],
    },
    { method: 'delete', path: `${V1}/providers/me/calendars/:id`, summary: 'Unsubscribe: the feed\'s blocks go with it', auth: 'user', success: noContent('Removed'), problems: [404, 409] },
    { method: 'post', path: `${V1}/providers/me/calendars/:id/refresh`, summary: 'Ask the calendar actor to read the feeds now', auth: 'user', success: { status: 202, description: 'Asked', schema: feed }, problems: [404, 409] },
    {
      method: 'get',
      path: `${V1}/providers/:id/slots`,
      summary: "Bookable slots of one of a provider's services, in the viewer's timezone (at most 31 days)",
      auth: 'optional',
      query: slotsQuerySchema(new Date()),
      success: ok(
        'Slots',
        object({ providerId: integerId, serviceId: integerId, providerTimezone: { type: 'string' }, timezone: { type: 'string' }, from: isoDateTime, to: isoDateTime, slots: arrayOf({ type: 'object' }) }),
      ),
      problems: [404],
    },
  ],
};
