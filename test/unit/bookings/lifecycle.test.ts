import { expect } from 'chai';
import { decide, type Actor, type BookingFacts, type BookingState } from '../../../domain/bookings/lifecycle.ts';

const now = new Date('2026-12-01T10:00:00Z');
const customer: Actor = { role: 'customer', userId: 'c1' };
const provider: Actor = { role: 'provider', userId: 'p1' };
const admin: Actor = { role: 'admin', userId: 'a1' };
const system: Actor = { role: 'system', userId: null };

function booking(state: BookingState, startsInHours = 48, holdLeftMinutes = 5): BookingFacts {
  return {
    state,
    customerId: 'c1',
    providerId: 'p1',
    startsAt: new Date(now.getTime() + startsInHours * 3_600_000),
    holdExpiresAt: new Date(now.getTime() + holdLeftMinutes * 60_000),
  };
}

describe('booking lifecycle', () => {
  it('walks the happy path: held, requested, accepted, in progress, completed', () => {
    expect(decide(booking('held'), 'confirm', customer, now)).to.deep.equal({ ok: true, to: 'requested' });
    expect(decide(booking('requested'), 'accept', provider, now)).to.deep.equal({ ok: true, to: 'accepted' });
    expect(decide(booking('accepted', 0.25), 'start', provider, now)).to.deep.equal({ ok: true, to: 'in_progress' });
    expect(decide(booking('in_progress'), 'complete', provider, now)).to.deep.equal({ ok: true, to: 'completed' });
  });

  it('refuses every action from a state it does not leave, with the reason', () => {
    const result = decide(booking('completed'), 'accept', provider, now);
    expect(result).to.deep.equal({ ok: false, reason: 'A booking that is completed cannot be accepted.' });
    for (const state of ['completed', 'declined', 'canceled', 'expired'] as const) {
      for (const action of ['confirm', 'accept', 'decline', 'start', 'complete', 'cancel', 'expire'] as const) {
        expect(decide(booking(state), action, admin, now).ok, `${action} from ${state}`).to.equal(false);
      }
    }
    expect(decide(booking('held'), 'accept', provider, now).ok).to.equal(false);
    expect(decide(booking('requested'), 'complete', provider, now).ok).to.equal(false);
  });

  it('lets only the holding customer confirm, and only before the hold expires', () => {
    expect(decide(booking('held'), 'confirm', { role: 'customer', userId: 'someone-else' }, now)).to.include({ ok: false });
    expect(decide(booking('held'), 'confirm', provider, now)).to.include({ ok: false });
    expect(decide(booking('held', 48, -1), 'confirm', customer, now)).to.deep.equal({ ok: false, reason: 'The hold has expired; hold the slot again.' });
  });

  it('lets only the booking’s provider accept, decline, start and complete', () => {
    const other: Actor = { role: 'provider', userId: 'p2' };
    expect(decide(booking('requested'), 'accept', other, now)).to.include({ ok: false });
    expect(decide(booking('requested'), 'accept', customer, now)).to.include({ ok: false });
    expect(decide(booking('requested'), 'decline', admin, now)).to.include({ ok: false });
  });

  it('does not let work start more than 30 minutes early', () => {
    expect(decide(booking('accepted', 2), 'start', provider, now)).to.deep.equal({
      ok: false,
      reason: 'Work can start at most 30 minutes before the booked time.',
    });
  });

  it('applies the cancellation policy per actor', () => {
    expect(decide(booking('accepted', 48), 'cancel', customer, now)).to.deep.equal({ ok: true, to: 'canceled', late: false });
    expect(decide(booking('accepted', 3), 'cancel', customer, now)).to.deep.equal({ ok: true, to: 'canceled', late: true });
    expect(decide(booking('accepted', 48), 'cancel', provider, now)).to.include({ ok: true });
    expect(decide(booking('accepted', 3), 'cancel', provider, now)).to.include({ ok: false });
    expect(decide(booking('accepted', 3), 'cancel', admin, now)).to.deep.equal({ ok: true, to: 'canceled' });
    expect(decide(booking('in_progress'), 'cancel', customer, now)).to.include({ ok: false });
    expect(decide(booking('in_progress'), 'cancel', admin, now)).to.include({ ok: true });
    expect(decide(booking('held'), 'cancel', { role: 'customer', userId: 'stranger' }, now)).to.include({ ok: false });
  });

  it('keeps expiry and auto-decline to the system', () => {
    expect(decide(booking('held'), 'expire', system, now)).to.deep.equal({ ok: true, to: 'expired' });
    expect(decide(booking('held'), 'expire', admin, now)).to.include({ ok: false });
    expect(decide(booking('requested'), 'auto_decline', system, now)).to.deep.equal({ ok: true, to: 'declined' });
  });
});
