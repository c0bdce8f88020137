import type { RelayClient } from './client.ts';

/**
 * Pings every socket each interval. A socket whose pong did not come back by the next ping
 * is terminated: a peer that vanished (sleeping laptop, dropped network) never sends a
 * close, and its presence must not linger. Termination fires the socket's close handler,
 * which does the clean-up. Returns the stop function.
 */
export function startHeartbeat(clients: () => Iterable<RelayClient>, intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const client of clients()) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
