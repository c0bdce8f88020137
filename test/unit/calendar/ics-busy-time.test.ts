import { expect } from 'chai';
import { busyIntervals, IcsParseError } from '../../../domain/calendar/ics-busy-time.ts';

const feed = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const event = (...lines: string[]) => ['BEGIN:VEVENT', 'DTSTAMP:20261101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
const window = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-31T00:00:00Z'), floatingZone: 'Asia/Tokyo' };
const spans = (text: string, w = window) => busyIntervals(text, w).map((b) => `${b.start} ${b.end}`);

describe('ICS busy time', () => {
  it('expands a weekly event in its zone across the DST change, skipping EXDATE and moving an exception', () => {
    const ics = feed(
      event('UID:standup', 'DTSTART;TZID=Europe/Berlin:20261019T090000', 'DTEND;TZID=Europe/Berlin:20261019T100000', 'RRULE:FREQ=WEEKLY;COUNT=4', 'EXDATE;TZID=Europe/Berlin:20261102T090000', 'SUMMARY:Standup'),
      event('UID:standup', 'RECURRENCE-ID;TZID=Europe/Berlin:20261026T090000', 'DTSTART;TZID=Europe/Berlin:20261026T140000', 'DTEND;TZID=Europe/Berlin:20261026T150000', 'SUMMARY:Standup (moved)'),
    );
    const busy = busyIntervals(ics, window);
    // 19 Oct is CEST (UTC+2); from 25 Oct Berlin is on CET (UTC+1): the wall time stays 09:00.
    expect(busy.map((b) => [b.start, b.summary])).to.deep.equal([
      ['2026-10-19T07:00:00.000Z', 'Standup'],
      ['2026-10-26T13:00:00.000Z', 'Standup (moved)'],
      ['2026-11-09T08:00:00.000Z', 'Standup'],
    ]);
    expect(new Set(busy.map((b) => b.id)).size).to.equal(3);
  });

  it('keeps an occurrence’s id across refreshes, so a moved or removed one is recognised', () => {
    const ics = feed(event('UID:daily', 'DTSTART:20261201T100000Z', 'DTEND:20261201T103000Z', 'RRULE:FREQ=DAILY;COUNT=3'));
    expect(busyIntervals(ics, window).map((b) => b.id)).to.deep.equal(busyIntervals(ics, window).map((b) => b.id));
    expect(spans(ics)).to.deep.equal([
      '2026-12-01T10:00:00.000Z 2026-12-01T10:30:00.000Z',
      '2026-12-02T10:00:00.000Z 2026-12-02T10:30:00.000Z',
      '2026-12-03T10:00:00.000Z 2026-12-03T10:30:00.000Z',
    ]);
  });

  it('blocks an all-day event for whole days in the provider’s zone (DTEND exclusive)', () => {
    const ics = feed(event('UID:holiday', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Holidays'));
    expect(spans(ics)).to.deep.equal(['2026-12-23T15:00:00.000Z 2026-12-25T15:00:00.000Z']);
    const noEnd = feed(event('UID:one-day', 'DTSTART;VALUE=DATE:20261231'));
    expect(spans(noEnd)).to.deep.equal(['2026-12-30T15:00:00.000Z 2026-12-31T15:00:00.000Z']);
  });

  it('reads New York, UTC, floating times and a Windows zone name defined by the feed’s VTIMEZONE', () => {
    const vtimezone = [
      'BEGIN:VTIMEZONE',
      'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16011028T030000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010325T020000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT',
      'END:VTIMEZONE',
    ].join('\r\n');
    const ics = feed(
      vtimezone,
      event('UID:ny', 'DTSTART;TZID=America/New_York:20261102T090000', 'DTEND;TZID=America/New_York:20261102T100000'),
      event('UID:utc', 'DTSTART:20261103T090000Z', 'DURATION:PT2H'),
      event('UID:floating', 'DTSTART:20261104T090000', 'DTEND:20261104T093000'),
      event('UID:windows', 'DTSTART;TZID=W. Europe Standard Time:20261105T090000', 'DTEND;TZID=W. Europe Standard Time:20261105T100000'),
    );
    expect(spans(ics)).to.deep.equal([
      '2026-11-02T14:00:00.000Z 2026-11-02T15:00:00.000Z', // EST, after New York's change on 1 Nov
      '2026-11-03T09:00:00.000Z 2026-11-03T11:00:00.000Z',
      '2026-11-04T00:00:00.000Z 2026-11-04T00:30:00.000Z', // floating: the provider's Tokyo time
      '2026-11-05T08:00:00.000Z 2026-11-05T09:00:00.000Z', // CET by the feed's own rules
    ]);
  });

  it('leaves out free and cancelled events, and what lies outside the window', () => {
    const ics = feed(
      event('UID:free', 'DTSTART:20261201T100000Z', 'DTEND:20261201T110000Z', 'TRANSP:TRANSPARENT'),
      event('UID:cancelled', 'DTSTART:20261202T100000Z', 'DTEND:20261202T110000Z', 'STATUS:CANCELLED'),
      event('UID:old', 'DTSTART:20250101T100000Z', 'DTEND:20250101T110000Z'),
      event('UID:forever', 'DTSTART:20200106T100000Z', 'DTEND:20200106T110000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO'),
    );
    const busy = spans(ics, { ...window, from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-15T00:00:00Z') });
    expect(busy).to.deep.equal(['2026-12-07T10:00:00.000Z 2026-12-07T11:00:00.000Z', '2026-12-14T10:00:00.000Z 2026-12-14T11:00:00.000Z']);
  });

  it('refuses what is not a calendar', () => {
    expect(() => busyIntervals('<html>Sign in</html>', window)).to.throw(IcsParseError);
  });
});
