import { expect } from 'chai';
import { answerableInTime, answerDeadline, offeredNoticeMinutes } from '../../../domain/bookings/answer-deadline.ts';

const now = new Date('2026-12-06T18:00:00Z');
const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('answer deadline', () => {
  it('is the provider’s answer time when the appointment is far enough away', () => {
    expect(answerDeadline({ now, startsAt: hoursFromNow(72), responseSlaMinutes: 24 * 60 })).to.deep.equal(hoursFromNow(24));
  });

  it('is an hour before the start when the answer time would run past it (the demo’s 09:00 booking made 15 h ahead)', () => {
    expect(answerDeadline({ now, startsAt: hoursFromNow(15), responseSlaMinutes: 24 * 60 })).to.deep.equal(hoursFromNow(14));
  });

  it('leaves too little time to answer a request 70 minutes ahead, unless the service accepts at once', () => {
    const startsAt = new Date(now.getTime() + 70 * 60_000);
    expect(answerableInTime({ now, startsAt, responseSlaMinutes: 240, autoAccept: false })).to.equal(false);
    expect(answerableInTime({ now, startsAt, responseSlaMinutes: 240, autoAccept: true })).to.equal(true);
    expect(answerableInTime({ now, startsAt: new Date(now.getTime() + 75 * 60_000), responseSlaMinutes: 240, autoAccept: false })).to.equal(true);
  });

  it('gives a provider who answers within 5 minutes those 5 minutes, not the usual 15', () => {
    expect(answerableInTime({ now, startsAt: new Date(now.getTime() + 66 * 60_000), responseSlaMinutes: 5, autoAccept: false })).to.equal(true);
  });

  it('offers request slots from 75 minutes ahead, or the service’s own longer notice; instant ones at the service’s notice', () => {
    expect(offeredNoticeMinutes({ minNoticeMinutes: 0, autoAccept: false })).to.equal(75);
    expect(offeredNoticeMinutes({ minNoticeMinutes: 120, autoAccept: false })).to.equal(120);
    expect(offeredNoticeMinutes({ minNoticeMinutes: 0, autoAccept: true })).to.equal(0);
  });
});
