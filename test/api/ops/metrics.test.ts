import { expect } from 'chai';
import request from 'supertest';
import { customer, hold, marketplace, post, quarterHourFromNow, type Marketplace } from '../bookings/support.ts';
import { eventually } from '../../support/eventually.ts';

/** The value of one series in the Prometheus text format, 0 when it is not there yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('GET /metrics', function () {
  this.timeout(60_000);
  let market: Marketplace;

  before(async () => {
    market = await marketplace();
  });

  const scrape = async () => {
    const res = await request(market.stack.app).get('/metrics').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    return res.text;
  };

  it('exports every named series', async () => {
    const text = await scrape();
    for (const name of [
      'pulseboard_http_request_duration_seconds',
      'pulseboard_websocket_clients',
      'pulseboard_relay_lag_seconds',
      'pulseboard_workflow_starts_total',
      'pulseboard_workflow_completions_total',
      'pulseboard_workflow_failures_total',
      'pulseboard_activity_retries_total',
      'pulseboard_webhook_ingest_total',
      'pulseboard_cron_lateness_seconds',
    ]) {
      expect(text, name).to.include(`# TYPE ${name} `);
    }
  });

  it('counts a request in the latency histogram under its route pattern and status', async () => {
    const labels = { method: 'GET', route: '/api/v1/bookings/:bookingId', status: '404' };
    const before = sample(await scrape(), 'pulseboard_http_request_duration_seconds_count', labels);
    const carla = await customer(market.stack);
    await carla.agent.get('/api/v1/bookings/999999999').expect(404);
    await carla.agent.get('/api/v1/bookings/999999998').expect(404);
    expect(sample(await scrape(), 'pulseboard_http_request_duration_seconds_count', labels)).to.equal(before + 2);
  });

  it('counts the start of a booking actor on a hold, and its completion when the booking is canceled', async () => {
    const starts = { workflow_type: 'bookingWorkflow' };
    const first = await scrape();
    const carla = await customer(market.stack);
    const id = await hold(carla, market.serviceId, quarterHourFromNow(20));
    expect(sample(await scrape(), 'pulseboard_workflow_starts_total', starts)).to.equal(sample(first, 'pulseboard_workflow_starts_total', starts) + 1);

    await post(carla, `/api/v1/bookings/${id}/cancel`, {}).expect(200);
    await eventually(
      async () => sample(await scrape(), 'pulseboard_workflow_completions_total', starts) > sample(first, 'pulseboard_workflow_completions_total', starts),
      'the booking actor to complete',
    );
  });
});
