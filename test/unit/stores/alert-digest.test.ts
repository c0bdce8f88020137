import { expect } from 'chai';
import { alertDigestText } from '../../../domain/stores/alert-digest.ts';
import { digestWindow } from '../../../domain/stores/alert-digest-clock.ts';
import { defaultDelivery, deliveryOf } from '../../../domain/stores/alert-delivery.ts';

describe('alert digest (pure)', () => {
  it('is due in the first quarter of the person\'s local hour only, and covers the local day before', () => {
    expect(digestWindow(new Date('2026-12-07T07:00:00Z'), 8, 'Europe/Berlin')).to.deep.equal({ localDate: '2026-12-07', since: new Date('2026-12-06T07:00:00Z') });
    expect(digestWindow(new Date('2026-12-07T07:15:00Z'), 8, 'Europe/Berlin')).to.equal(null);
    expect(digestWindow(new Date('2026-12-07T08:00:00Z'), 8, 'Europe/Berlin')).to.equal(null);
    // Kathmandu is UTC+05:45: its hours start on a UTC quarter.
    expect(digestWindow(new Date('2026-12-07T02:15:00Z'), 8, 'Asia/Kathmandu')?.localDate).to.equal('2026-12-07');
    // The day the clocks go forward (29 March 2026) has 23 hours.
    const spring = digestWindow(new Date('2026-03-29T06:00:00Z'), 8, 'Europe/Berlin')!;
    expect((new Date('2026-03-29T06:00:00Z').getTime() - spring.since.getTime()) / 3_600_000).to.equal(23);
  });

  it('lists the alerts by store with links, says whether each is still open, and is nothing when there are none', () => {
    const at = new Date('2026-12-07T06:30:00Z');
    const mail = alertDigestText({
      localDate: '2026-12-07',
      timezone: 'Europe/Berlin',
      publicUrl: 'https://pulseboard.example',
      alerts: [
        { storeId: 2, storeName: 'Camping', kind: 'low_stock', title: 'Low stock: Mug at Camping', body: 'Mug is down to 2.', firedAt: at, clearedAt: null },
        { storeId: 3, storeName: 'Tea', kind: 'low_stock', title: 'Low stock: Sencha at Tea', body: 'Sencha is down to 1.', firedAt: at, clearedAt: new Date('2026-12-07T09:00:00Z') },
        { storeId: 2, storeName: 'Camping', kind: 'high_value_order', title: 'High-value order #9', body: 'Order #9.', firedAt: at, clearedAt: null },
      ],
    })!;
    expect(mail.subject).to.equal('Pulseboard digest for 2026-12-07: 3 store alerts');
    expect(mail.text).to.contain('Camping (2 alerts)\nhttps://pulseboard.example/stores/2\n- 7 Dec 07:30 Low stock: Mug at Camping (still open)');
    expect(mail.text).to.contain('- 7 Dec 07:30 High-value order #9\n');
    expect(mail.text).to.contain('Tea (1 alert)\nhttps://pulseboard.example/stores/3\n- 7 Dec 07:30 Low stock: Sencha at Tea (cleared 7 Dec 10:00)');
    expect(alertDigestText({ localDate: '2026-12-07', timezone: 'UTC', publicUrl: 'https://pulseboard.example', alerts: [] })).to.equal(null);
  });

  it('takes a person\'s choice over their role\'s default', () => {
    expect(defaultDelivery('owner', 'revenue_drop')).to.equal('immediate');
    expect(defaultDelivery('admin', 'low_stock')).to.equal('digest');
    expect(defaultDelivery('member', 'webhooks_quiet')).to.equal('digest');
    expect(deliveryOf('owner', 'revenue_drop', { revenue_drop: 'none' })).to.equal('none');
  });
});
