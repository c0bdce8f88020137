import { createServer } from 'node:http';

/** The baseline: node:http answering the bytes Pulseboard's /health answers, with no work behind them. */
const body = JSON.stringify({ status: 'ok', database: 'ok', temporal: 'not configured' });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
