import { expect } from 'chai';
import { formatRelative } from '../../web-vue/src/format.ts';

describe('relative times on screen', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('reads a 7-day invitation made a moment ago as "in 7 days", not 6', () => {
    expect(formatRelative(at(7 * 86_400_000 - 30_000), now)).to.equal('in 7 days');
  });

  it('takes the largest unit the distance nearly fills, rounded', () => {
    expect(formatRelative(at(-3_000), now)).to.equal('3 seconds ago');
    expect(formatRelative(at(40 * 60_000), now)).to.equal('in 40 minutes');
    expect(formatRelative(at(23 * 3_600_000 + 50 * 60_000), now)).to.equal('in 1 day');
    expect(formatRelative(at(-90 * 60_000), now)).to.equal('2 hours ago');
  });
});
