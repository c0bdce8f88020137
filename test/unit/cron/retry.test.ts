import { expect } from 'chai';
import { classifyResponse } from '../../../domain/cron/classify-response.ts';
import { parseRetryAfter, retryDelay } from '../../../domain/cron/retry-delay.ts';

describe('classifyResponse', () => {
  const table: [number | 'network_error' | 'timeout', string][] = [
    [200, 'success'],
    [204, 'success'],
    [299, 'success'],
    [301, 'fail_now'],
    [400, 'fail_now'],
    [401, 'fail_now'],
    [404, 'fail_now'],
    [408, 'retry'],
    [422, 'fail_now'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [599, 'retry'],
    ['network_error', 'retry'],
    ['timeout', 'retry'],
  ];
  for (const [result, outcome] of table) it(`${result} → ${outcome}`, () => expect(classifyResponse(result)).to.equal(outcome));
});

describe('retryDelay', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const policy = { initialMs: 1000, backoffCoefficient: 2, maxMs: 60_000, now };

  it('backs off exponentially from the initial delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => retryDelay({ ...policy, attempt }))).to.deep.equal([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });

  it('waits at least as long as Retry-After in seconds asks', () => {
    expect(retryDelay({ ...policy, attempt: 1, retryAfterHeader: '30' })).to.equal(30_000);
    expect(retryDelay({ ...policy, attempt: 6, retryAfterHeader: '5' })).to.equal(32_000); // backoff is already longer
  });

  it('honours Retry-After as an HTTP-date', () => {
    expect(retryDelay({ ...policy, attempt: 1, retryAfterHeader: 'Mon, 01 Jun 2026 12:00:45 GMT' })).to.equal(45_000);
    expect(retryDelay({ ...policy, attempt: 1, retryAfterHeader: 'Mon, 01 Jun 2026 11:00:00 GMT' })).to.equal(1000); // in the past
  });

  it('caps a Retry-After beyond the maximum', () => {
    expect(retryDelay({ ...policy, attempt: 1, retryAfterHeader: '86400' })).to.equal(60_000);
  });

  it('ignores an unreadable Retry-After', () => {
    for (const header of ['soon', '-5', '1.5', '5 minutes', '']) expect(retryDelay({ ...policy, attempt: 2, retryAfterHeader: header }), header).to.equal(2000);
  });

  it('refuses an attempt number below 1', () => {
    expect(() => retryDelay({ ...policy, attempt: 0 })).to.throw(RangeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and the HTTP-date forms', () => {
    const now = new Date('1994-11-06T08:49:00Z');
    expect(parseRetryAfter(' 120 ', now)).to.equal(120_000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).to.equal(37_000);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).to.equal(37_000);
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).to.equal(37_000);
    expect(parseRetryAfter('in a bit', now)).to.equal(null);
  });
});
