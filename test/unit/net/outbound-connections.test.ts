import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONNECTIONS_PER_ORIGIN, createOutboundClient, type OutboundClient } from '../../../runtime/outbound-http.ts';

/** A burst of requests to one target, as thousands of jobs on one API at second 0 send. */
describe('outbound HTTP: connections per target', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  let client: OutboundClient;
  let open = 0;
  let mostOpen = 0;

  before(async () => {
    // Each answer takes a while, so that requests would pile up on connections of their own.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.end('ok'), 20));
    });
    server.on('connection', (socket) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      socket.on('close', () => (open -= 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fire`;
    client = createOutboundClient({ allowLoopback: true });
  });
  after(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it(`answers every request of a burst over at most ${CONNECTIONS_PER_ORIGIN} connections, reused`, async () => {
    const burst = 3 * CONNECTIONS_PER_ORIGIN;
    const results = await Promise.all(Array.from({ length: burst }, () => client.send({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 20_000 })));
    expect(results.filter((r) => r.kind === 'response' && r.statusCode === 200)).to.have.length(burst);
    expect(mostOpen).to.be.within(2, CONNECTIONS_PER_ORIGIN);
  });
});
