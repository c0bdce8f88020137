import { expect } from 'chai';
import { rejectionOf, strictInstant } from '../../../domain/stores/order-checks.ts';

describe('order checks at ingest', () => {
  it('reads real instants, with or without a zone, and refuses impossible ones', () => {
    expect(strictInstant('2026-03-01T10:00:00Z')?.toISOString()).to.equal('2026-03-01T10:00:00.000Z');
    expect(strictInstant('2026-03-01T12:00:00+02:00')?.toISOString()).to.equal('2026-03-01T10:00:00.000Z');
    expect(strictInstant('2026-03-01T10:00:00')?.toISOString()).to.equal('2026-03-01T10:00:00.000Z');
    expect(strictInstant('2024-02-29T10:00:00Z')).to.be.an.instanceOf(Date);
    for (const impossible of ['2026-02-30T10:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', 'yesterday', '']) expect(strictInstant(impossible), impossible).to.equal(null);
  });

  it('names every reason an order is not counted', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const fine = { totalMinor: 100, currency: 'EUR', placedAt: new Date('2026-12-07T11:00:00Z'), updatedAt: new Date('2026-12-07T11:00:00Z'), lines: [{}], problems: [] };
    expect(rejectionOf(fine, 'EUR', now)).to.equal(null);
    expect(rejectionOf({ ...fine, totalMinor: -1, currency: 'USD', lines: [] }, 'EUR', now)).to.equal("negative total; currency USD, not the store's EUR; no line items");
    expect(rejectionOf({ ...fine, placedAt: new Date('2027-01-01T00:00:00Z'), updatedAt: new Date('2027-01-01T00:00:00Z') }, 'EUR', now)).to.equal('placed in the future');
    expect(rejectionOf({ ...fine, placedAt: new Date('1999-01-01T00:00:00Z') }, 'EUR', now)).to.equal('placed before 2000');
    expect(rejectionOf({ ...fine, updatedAt: new Date('2026-12-07T10:00:00Z') }, 'EUR', now)).to.equal('updated before it was placed');
  });
});
