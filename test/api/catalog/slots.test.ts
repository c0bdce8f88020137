import { expect } from 'chai';
import { DateTime } from 'luxon';
import request from 'supertest';
import { testDb } from '../../support/app.ts';
import { platformApp, type PlatformApp, type Session } from '../platform/helpers.ts';
import { findServiceToHold } from '../../../db/repositories/services.ts';
import { createService, insertBookingRow, localDateAhead, NINE_TO_FIVE_DAILY, putTemplate, signedInProvider } from './support.ts';

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

  describe('for the hold route: findServiceToHold', () => {
    const openAt = async (serviceId: number, startsAt: Date, now = new Date()) => (await findServiceToHold(testDb(), serviceId, startsAt, now))?.slotOpen;
    const berlin = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: 'Europe/Berlin' }).toJSDate();

    it('returns the service with its title, provider, timezone and SLA, or nothing for an unknown service', async () => {
      const found = await findServiceToHold(testDb(), service.id, berlin(localDateAhead(8).date, '09:00'), new Date());
      expect(found).to.deep.equal({
        service: {
          id: service.id,
          title: 'Leak repair',
          providerId: provider.user.id,
          providerName: provider.user.name,
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
          autoAccept: false,
        },
        slotOpen: true,
      });
      expect(await findServiceToHold(testDb(), 999_999, new Date(), new Date())).to.equal(undefined);
    });

    it('says open only for the start of an open slot of the template, in the provider’s time', async () => {
      const { date } = localDateAhead(8);
      expect(await openAt(service.id, berlin(date, '09:00'))).to.equal(true);
      expect(await openAt(service.id, berlin(date, '16:00')), 'the last one').to.equal(true);
      expect(await openAt(service.id, berlin(date, '09:30')), 'not on the grid').to.equal(false);
      expect(await openAt(service.id, berlin(date, '17:00')), 'after hours').to.equal(false);
      expect(await openAt(service.id, berlin(date, '08:00')), 'before hours').to.equal(false);
    });

    it('answers the same once PostgreSQL plans the prepared read generically (after five runs on a connection)', async () => {
      const { date } = localDateAhead(8);
      for (let i = 0; i < 12; i++) {
        expect(await openAt(service.id, berlin(date, '10:00')), `run ${i}`).to.equal(true);
        expect(await openAt(service.id, berlin(date, '18:00')), `run ${i}`).to.equal(false);
      }
    });

    it('keeps 09:00–17:00 local on the days around a DST change: one hour off either way is closed', async () => {
      const change = DateTime.fromISO(nextBerlinDstChange());
      for (const date of [change.minus({ days: 1 }), change, change.plus({ days: 1 })].map((d) => d.toFormat('yyyy-MM-dd'))) {
        expect(await openAt(service.id, berlin(date, '09:00')), `${date} 09:00`).to.equal(true);
        expect(await openAt(service.id, berlin(date, '16:00')), `${date} 16:00`).to.equal(true);
        expect(await openAt(service.id, berlin(date, '08:00')), `${date} 08:00`).to.equal(false);
        expect(await openAt(service.id, berlin(date, '17:00')), `${date} 17:00`).to.equal(false);
      }
    });

    it('follows overrides of the provider’s local date, also where it is another date in UTC', async () => {
      const { date } = localDateAhead(9);
      await provider.agent.put(`/api/v1/providers/me/availability/overrides/${date}`).set('X-CSRF-Token', provider.csrf).send({ intervals: [{ start: '18:00', end: '20:00' }] }).expect(200);
      expect(await openAt(service.id, berlin(date, '09:00')), 'template hours of an overridden date').to.equal(false);
      expect(await openAt(service.id, berlin(date, '18:00'))).to.equal(true);
      await provider.agent.put(`/api/v1/providers/me/availability/overrides/${date}`).set('X-CSRF-Token', provider.csrf).send({ closed: true }).expect(200);
      expect(await openAt(service.id, berlin(date, '18:00')), 'closed').to.equal(false);

      const west = await signedInProvider(app, 'America/New_York');
      await putTemplate(west, Object.fromEntries(Object.keys(NINE_TO_FIVE_DAILY).map((day) => [day, [{ start: '18:00', end: '22:00' }]])));
      const evening = await createService(west, { durationMinutes: 60 });
      const day = localDateAhead(9, 'America/New_York');
      const eightPm = DateTime.fromISO(`${day.date}T20:00`, { zone: 'America/New_York' }).toJSDate();
      expect(eightPm.toISOString().slice(0, 10)).to.not.equal(day.date); // the next date in UTC
      expect(await openAt(evening.id, eightPm)).to.equal(true);
      await west.agent.put(`/api/v1/providers/me/availability/overrides/${day.date}`).set('X-CSRF-Token', west.csrf).send({ closed: true }).expect(200);
      expect(await openAt(evening.id, eightPm)).to.equal(false);
    });

    it('says closed where the provider or an external calendar blocks the time, and within the slot’s buffers of a block', async () => {
      const { date } = localDateAhead(10);
      const block = (from: string, to: string, source: 'provider' | 'external') =>
        testDb()('availability_blocks').insert({
          provider_id: provider.user.id,
          during: testDb().raw("tstzrange(?::timestamptz, ?::timestamptz, '[)')", [berlin(date, from), berlin(date, to)]),
          source,
          ...(source === 'external' ? { calendar: 'google', external_event_id: `hold-${date}-${from}` } : {}),
        });
      await block('10:30', '10:45', 'provider');
      await block('13:00', '14:00', 'external');
      expect(await openAt(service.id, berlin(date, '10:00'))).to.equal(false);
      expect(await openAt(service.id, berlin(date, '13:00'))).to.equal(false);
      expect(await openAt(service.id, berlin(date, '11:00')), 'right after a block').to.equal(true);
      const buffered = await createService(provider, { bufferBeforeMinutes: 30 });
      expect(await openAt(buffered.id, berlin(date, '11:00')), 'its buffer reaches into the block').to.equal(false);
      expect(await openAt(buffered.id, berlin(date, '12:00'))).to.equal(true);
    });

    it('says closed where a live booking or hold is, buffers included, and open again once the hold expired', async () => {
      const { date } = localDateAhead(11);
      const book = (from: string, to: string, state: string, holdExpiresAt?: Date) =>
        insertBookingRow({ serviceId: service.id, providerId: provider.user.id, start: berlin(date, from).toISOString(), end: berlin(date, to).toISOString(), state, holdExpiresAt });
      await book('11:00', '12:00', 'requested');
      await book('14:00', '15:00', 'held');
      await book('15:00', '16:00', 'held', new Date(Date.now() - 1000));
      await book('09:00', '10:00', 'canceled');
      expect(await openAt(service.id, berlin(date, '11:00')), 'booked').to.equal(false);
      expect(await openAt(service.id, berlin(date, '14:00')), 'held').to.equal(false);
      expect(await openAt(service.id, berlin(date, '15:00')), 'an expired hold').to.equal(true);
      expect(await openAt(service.id, berlin(date, '09:00')), 'a canceled booking').to.equal(true);
      const buffered = await createService(provider, { bufferAfterMinutes: 30 });
      expect(await openAt(buffered.id, berlin(date, '10:00')), 'its buffer reaches into the booking').to.equal(false);
      expect(await openAt(buffered.id, berlin(date, '12:00')), 'the booking’s end plus its buffer').to.equal(false);
      expect(await openAt(buffered.id, berlin(date, '13:00')), 'its buffer reaches into the hold').to.equal(false);
      expect(await openAt(buffered.id, berlin(date, '09:00'))).to.equal(true);
    });

    it('says closed in the past, inside the minimum notice and beyond the horizon', async () => {
      const { date } = localDateAhead(8);
      expect(await openAt(service.id, berlin(date, '09:00'), new Date(berlin(date, '09:00').getTime() + 60_000)), 'in the past').to.equal(false);
      const strict = await createService(provider, { minNoticeMinutes: 3 * 24 * 60, maxDaysAhead: 10 });
      expect(await openAt(strict.id, berlin(localDateAhead(1).date, '09:00')), 'inside the notice').to.equal(false);
      expect(await openAt(strict.id, berlin(localDateAhead(5).date, '09:00'))).to.equal(true);
      expect(await openAt(strict.id, berlin(localDateAhead(10).date, '16:00')), 'the last day of the horizon').to.equal(true);
      expect(await openAt(strict.id, berlin(localDateAhead(11).date, '09:00')), 'beyond the horizon').to.equal(false);
    });

    it('marks a deactivated service, or one whose provider is disabled, inactive and closed', async () => {
      const { date } = localDateAhead(8);
      const retired = await createService(provider);
      await provider.agent.delete(`/api/v1/services/${retired.id}`).set('X-CSRF-Token', provider.csrf).expect(204);
      expect((await findServiceToHold(testDb(), retired.id, berlin(date, '14:00'), new Date()))?.service.active).to.equal(false);
      expect(await openAt(retired.id, berlin(date, '14:00'))).to.equal(false);

      const leaving = await signedInProvider(app);
      await putTemplate(leaving);
      const theirs = await createService(leaving);
      expect(await openAt(theirs.id, berlin(date, '14:00'))).to.equal(true);
      await testDb()('users').where({ id: leaving.user.id }).update({ disabled_at: new Date() });
      expect((await findServiceToHold(testDb(), theirs.id, berlin(date, '14:00'), new Date()))?.service.active).to.equal(false);
      expect(await openAt(theirs.id, berlin(date, '14:00'))).to.equal(false);
    });
  });
});
