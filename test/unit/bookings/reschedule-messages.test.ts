import { expect } from 'chai';
import type { BookingFactsForMessages } from '../../../activities/bookings/messages.ts';
import { rescheduleMessagesFor } from '../../../activities/bookings/reschedule-messages.ts';
import { RESCHEDULE_STEPS } from '../../../domain/bookings/reschedule.ts';

const booking: BookingFactsForMessages = {
  id: 7,
  serviceTitle: 'Calligraphy lesson',
  customer: { id: 1, name: 'Bea', email: 'bea@example.com', timezone: 'Europe/Berlin' },
  provider: { id: 2, name: 'Aiko', email: 'aiko@example.com', timezone: 'Asia/Tokyo' },
  startsAt: new Date('2026-12-10T00:00:00Z'),
};
const proposal = { from: new Date('2026-12-10T00:00:00Z'), to: new Date('2026-12-10T02:00:00Z'), proposedBy: 'customer' as const, respondBy: new Date('2026-12-09T04:00:00Z') };

describe('reschedule messages', () => {
  it('asks the other side by email, tells the proposer in the app only', () => {
    const [ask, note] = rescheduleMessagesFor('reschedule_proposed', booking, proposal);
    expect(ask).to.include({ userId: 2, email: 'aiko@example.com', title: 'New time proposed: Calligraphy lesson' });
    expect(ask.body).to.match(/^Bea asks to move Calligraphy lesson from Thursday,? 10 December 2026 at 09:00 \(Asia\/Tokyo\) to Thursday,? 10 December 2026 at 11:00 \(Asia\/Tokyo\)\./);
    expect(ask.body).to.match(/Please answer by Wednesday,? 9 December 2026 at 13:00 \(Asia\/Tokyo\); until then the booking stays as it is\.$/);
    expect(note).to.include({ userId: 1, email: null });
    // A provider's proposal asks the customer, in the zone they booked in.
    const [toCustomer] = rescheduleMessagesFor('reschedule_proposed', booking, { ...proposal, proposedBy: 'provider' });
    expect(toCustomer.userId).to.equal(1);
    expect(toCustomer.body).to.contain('01:00 (Europe/Berlin)').and.contain('03:00 (Europe/Berlin)').and.not.contain('Tokyo');
  });

  it('writes every step in each reader’s own zone, naming it', () => {
    for (const step of RESCHEDULE_STEPS) {
      for (const message of rescheduleMessagesFor(step, { ...booking, note: 'Busy' }, proposal)) {
        const [own, other] = message.userId === 1 ? ['(Europe/Berlin)', 'Asia/Tokyo'] : ['(Asia/Tokyo)', 'Europe/Berlin'];
        expect(message.body, `${step} to ${message.userId}`).to.contain(own).and.not.contain(other);
      }
    }
    expect(rescheduleMessagesFor('reschedule_accepted', booking, proposal).map((m) => [m.userId, m.title])).to.deep.equal([
      [1, 'Booking moved: Calligraphy lesson'],
      [2, 'Booking moved: Calligraphy lesson'],
    ]);
    expect(rescheduleMessagesFor('reschedule_declined', { ...booking, note: 'Busy' }, proposal)[0].body).to.contain('Reason: Busy');
  });
});
