import { expect } from 'chai';
import { DateTime } from 'luxon';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { platformApp, type PlatformApp, type Session } from '../platform/helpers.ts';
import { findServiceForBooking, isBookableSlot } from '../../../db/repositories/services.ts';
import { createService, insertBookingRow, localDateAhead, putTemplate, signedInProvider } from './support.ts';

type SlotBody = { start: string; end: string; state: string; startLabel: string; endLabel: string; localDate: string };

/** The next Europe/Berlin date (from tomorrow on) on which the clocks change: its midnight and the next differ in offset. */
function nextBerlinDstChange(): string {
  let day = DateTime.now().setZone('Europe/Berlin').startOf('day').plus({ days: 1 });
  while (day.offset === day.plus({ days: 1 }).offset) day = day.plus({ days: 1 });
  return day.toFormat('yyyy-MM-dd');
}

describe('catalog: slots', () => {
  let app: PlatformApp['app'];
  let provider: Session;
  let service: { id: number };

  before(async () => {
    ({ app } = platformApp());
    provider = await signedInProvider(app, 'Europe/Berlin');
    await putTemplate(provider);
    service = await createService(provider, { durationMinutes: 60, maxDaysAhead: 365 });
  });

  const slotsOf = async (range: { from: string; to: string }, tz?: string): Promise<SlotBody[]> =>
    (await request(app).get(`/api/v1/providers/${provider.user.id}/slots`).query({ serviceId: service.id, ...range, ...(tz ? { tz } : {}) }).expect(200)).body.slots;
  const stateAt = (slots: SlotBody[], start: string) => slots.find((s) => s.start === start)?.state;

  it('shows 09:00–17:00 Berlin time on the day before, the day of and the day after the next DST change', async () => {
    const change = nextBerlinDstChange();
    const from = DateTime.fromISO(change, { zone: 'Europe/Berlin' }).minus({ days: 1 });
    const slots = await slotsOf({ from: from.toUTC().toISO()!, to: from.plus({ days: 3 }).toUTC().toISO()! });
    const byDate = new Map<string, SlotBody[]>();
    for (const slot of slots) byDate.set(slot.localDate, [...(byDate.get(slot.localDate) ?? []), slot]);
    expect([...byDate.keys()]).to.have.length(3);
    for (const [date, day] of byDate) {
      expect(day.map((s) => s.startLabel), date).to.deep.equal(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
      expect(day.at(-1)!.endLabel, date).to.equal('17:00');
    }
    const firstUtcHours = [...byDate.values()].map((day) => new Date(day[0].start).getUTCHours());
    expect(firstUtcHours[0]).to.not.equal(firstUtcHours[2]); // the offset really changed in between
  });

  it('presents the slots in the viewer’s timezone when asked', async () => {
    const day = localDateAhead(3);
    const slots = await slotsOf(day, 'America/New_York');
    expect(slots).to.have.length(8);
    const expected = DateTime.fromISO(`${day.date}T09:00`, { zone: 'Europe/Berlin' }).setZone('America/New_York').toFormat('HH:mm');
    expect(slots[0].startLabel).to.equal(expected);
  });

  it('shows a held booking as held, an external block as blocked, and follows their changes at once', async () => {
    const day = localDateAhead(4);
    const at = (hour: number) => DateTime.fromISO(`${day.date}T${String(hour).padStart(2, '0')}:00`, { zone: 'Europe/Berlin' }).toUTC().toISO({ suppressMilliseconds: false })!;
    const before = await slotsOf(day);
    expect(before.every((s) => s.state === 'open')).to.equal(true);

    const bookingId = await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: at(10), end: at(11), state: 'held' });
    const [block] = await testDb()('availability_blocks')
      .insert({ provider_id: provider.user.id, during: testDb().raw("tstzrange(?::timestamptz, ?::timestamptz, '[)')", [at(13), at(15)]), source: 'external', calendar: 'google', external_event_id: `ev-${bookingId}` })
      .returning('id');
    const during = await slotsOf(day);
    expect(stateAt(during, at(10))).to.equal('held');
    expect(stateAt(during, at(13))).to.equal('blocked');
    expect(stateAt(during, at(14))).to.equal('blocked');
    expect(stateAt(during, at(15))).to.equal('open');

    await testDb()('bookings').where({ id: bookingId }).update({ state: 'accepted' });
    expect(stateAt(await slotsOf(day), at(10))).to.equal('booked');
    await testDb()('bookings').where({ id: bookingId }).update({ state: 'canceled' });
    await testDb()('availability_blocks').where({ id: block.id }).delete();
    const after = await slotsOf(day);
    expect(after.every((s) => s.state === 'open')).to.equal(true);
  });

  it('frees a slot whose hold expired even before the booking actor says so', async () => {
    const day = localDateAhead(5);
    const nine = DateTime.fromISO(`${day.date}T09:00`, { zone: 'Europe/Berlin' }).toUTC();
    await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: nine.toISO()!, end: nine.plus({ hours: 1 }).toISO()!, state: 'held', holdExpiresAt: new Date(Date.now() - 1000) });
    expect(stateAt(await slotsOf(day), nine.toJSDate().toISOString())).to.equal('open');
  });

  it('follows template changes and overrides', async () => {
    const day = localDateAhead(6);
    await provider.agent.put(`/api/v1/providers/me/availability/overrides/${day.date}`).set('X-CSRF-Token', provider.csrf).send({ intervals: [{ start: '12:00', end: '14:00' }] }).expect(200);
    expect((await slotsOf(day)).map((s) => s.startLabel)).to.deep.equal(['12:00', '13:00']);
    await provider.agent.put(`/api/v1/providers/me/availability/overrides/${day.date}`).set('X-CSRF-Token', provider.csrf).send({ closed: true }).expect(200);
    expect(await slotsOf(day)).to.deep.equal([]);
    await provider.agent.delete(`/api/v1/providers/me/availability/overrides/${day.date}`).set('X-CSRF-Token', provider.csrf).expect(204);
    expect(await slotsOf(day)).to.have.length(8);
  });

  it('leaves out slots inside the minimum notice or beyond the horizon', async () => {
    const strict = await createService(provider, { minNoticeMinutes: 3 * 24 * 60, maxDaysAhead: 10 });
    const query = (range: { from: string; to: string }) => request(app).get(`/api/v1/providers/${provider.user.id}/slots`).query({ serviceId: strict.id, ...range }).expect(200);
    expect((await query(localDateAhead(1))).body.slots).to.deep.equal([]);
    expect((await query(localDateAhead(5))).body.slots).to.have.length(8);
    expect((await query(localDateAhead(12))).body.slots).to.deep.equal([]);
  });

  it('answers a month range, and rejects bad ranges, zones and ids', async () => {
    const start = localDateAhead(1);
    const month = await slotsOf({ from: start.from, to: DateTime.fromISO(start.from).plus({ days: 31 }).toISO()! });
    expect(month.length).to.be.greaterThan(8 * 28);
    const slotsUrl = `/api/v1/providers/${provider.user.id}/slots`;
    const bad = [
      { serviceId: service.id, from: start.to, to: start.from },
      { serviceId: service.id, from: start.from, to: DateTime.fromISO(start.from).plus({ days: 40 }).toISO() },
      { serviceId: service.id, tz: 'Nowhere/Land' },
      { serviceId: service.id, from: 'tomorrow' },
      { serviceId: 'x' },
      {},
    ];
    for (const query of bad) await request(app).get(slotsUrl).query(query).expect(422);
    await request(app).get(slotsUrl).query({ serviceId: 999_999 }).expect(404);
    const other = await signedInProvider(app);
    await request(app).get(`/api/v1/providers/${other.user.id}/slots`).query({ serviceId: service.id }).expect(404);
  });

  describe('for the hold route', () => {
    it('findServiceForBooking returns the service with its provider’s timezone and SLA', async () => {
      const found = await findServiceForBooking(testDb(), service.id);
      expect(found).to.deep.equal({
        id: service.id,
        providerId: provider.user.id,
        durationMinutes: 60,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        priceKind: 'fixed',
        priceMinor: 5000,
        currency: 'EUR',
        minNoticeMinutes: 0,
        maxDaysAhead: 365,
        active: true,
        providerTimezone: 'Europe/Berlin',
        responseSlaMinutes: 24 * 60,
      });
      expect(await findServiceForBooking(testDb(), 999_999)).to.equal(undefined);
    });

    it('isBookableSlot says yes only for the start of an open slot', async () => {
      const day = localDateAhead(8);
      const at = (time: string) => DateTime.fromISO(`${day.date}T${time}`, { zone: 'Europe/Berlin' }).toJSDate();
      const now = new Date();
      expect(await isBookableSlot(testDb(), service.id, at('09:00'), now)).to.equal(true);
      expect(await isBookableSlot(testDb(), service.id, at('09:30'), now), 'not on the grid').to.equal(false);
      expect(await isBookableSlot(testDb(), service.id, at('17:00'), now), 'after hours').to.equal(false);
      expect(await isBookableSlot(testDb(), 999_999, at('09:00'), now), 'unknown service').to.equal(false);
      await insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: at('11:00').toISOString(), end: at('12:00').toISOString(), state: 'requested' });
      expect(await isBookableSlot(testDb(), service.id, at('11:00'), now), 'booked').to.equal(false);
      expect(await isBookableSlot(testDb(), service.id, at('09:00'), new Date(at('09:00').getTime() + 60_000)), 'in the past').to.equal(false);
      const buffered = await createService(provider, { bufferAfterMinutes: 30 });
      expect(await isBookableSlot(testDb(), buffered.id, at('10:00'), now), 'its buffer reaches into the booking').to.equal(false);
      await provider.agent.delete(`/api/v1/services/${buffered.id}`).set('X-CSRF-Token', provider.csrf).expect(204);
      expect(await isBookableSlot(testDb(), buffered.id, at('14:00'), now), 'deactivated').to.equal(false);
    });
  });
});
