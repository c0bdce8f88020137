import { createServer } from 'node:http';

/**
 * The cron benches' target, in a process of its own: answers every request at once and keeps, per
 * request, its execution id (or the baseline's x-job) and when it arrived. GET /arrivals hands
 * them over and forgets them.
 */
let arrivals: Array<[string, number]> = [];
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/arrivals') {
    const body = JSON.stringify(arrivals);
    arrivals = [];
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }
  arrivals.push([String(req.headers['x-pulseboard-execution-id'] ?? req.headers['x-job']), Date.now()]);
  req.resume();
  req.on('end', () => res.end('ok'));
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
