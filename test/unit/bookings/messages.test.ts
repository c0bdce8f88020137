import { expect } from 'chai';
import { messagesFor, type BookingFactsForMessages } from '../../../activities/bookings/messages.ts';

const booking: BookingFactsForMessages = {
  id: 7,
  serviceTitle: 'Ink painting',
  customer: { id: 1, name: 'Carla', email: 'carla@example.com', timezone: 'Europe/Berlin' },
  provider: { id: 2, name: 'Aiko', email: 'aiko@example.com', timezone: 'Asia/Tokyo' },
  startsAt: new Date('2026-12-10T01:00:00Z'),
};

describe('booking messages for a service that accepts at once', () => {
  it('asks nobody on confirmation, then tells the customer it is booked and the provider of the new booking', () => {
    expect(messagesFor('confirm', { ...booking, acceptedAtOnce: true })).to.deep.equal([]);
    const accepted = messagesFor('accept', { ...booking, acceptedAtOnce: true, note: 'Second floor' });
    expect(accepted.map((m) => [m.userId, m.title])).to.deep.equal([
      [1, 'Booked: Ink painting'],
      [2, 'New booking: Ink painting'],
    ]);
    expect(accepted[1].body).to.contain('accepted at once').and.contain('Notes: Second floor').and.contain('(Asia/Tokyo)');
  });

  it('still asks the provider when the service waits for their answer', () => {
    expect(messagesFor('confirm', booking).map((m) => m.title)).to.deep.equal(['New booking request: Ink painting', 'Request sent: Ink painting']);
    expect(messagesFor('accept', booking).map((m) => m.title)).to.deep.equal(['Booking accepted: Ink painting']);
  });
});

describe('booking messages in each reader’s timezone', () => {
  it('gives the customer the time in the zone they booked in and the provider in theirs, each zone named', () => {
    for (const action of ['confirm', 'cancel', 'reminder'] as const) {
      for (const message of messagesFor(action, booking)) {
        const expected = message.userId === 1 ? 'Thursday, 10 December 2026 at 02:00 (Europe/Berlin)' : 'Thursday, 10 December 2026 at 10:00 (Asia/Tokyo)';
        expect(message.body, `${action} to ${message.userId}`).to.contain(expected);
      }
    }
  });
});
