/** Ports for npm start's servers: the usual one when it is free, so bookmarks survive a restart. */
import { createServer } from 'node:net';
import { freePort } from '../db/embedded-postgres.ts';

/** `preferred` when nothing listens on it on 127.0.0.1, else any free port. */
export async function preferredOrFreePort(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}
