import { createServer, type Server } from 'node:http';
import type { AppContext } from './context.ts';
import { createApp } from './app.ts';
import { attachRelay } from './realtime/relay.ts';
import { startHistoryRetention } from './history-retention.ts';
import type { RelayAccess } from './realtime/access.ts';
import { platformAccess } from './realtime/platform-access.ts';
import { trackWebSocketClients } from '../runtime/metrics.ts';
import { startExpiredSignInCleanup } from './auth/expired-sign-ins.ts';

export interface RunningApi {
  server: Server;
  url: string;
  close: () => Promise<void>;
}

export async function startApi(ctx: AppContext, port: number, host: string, relayAccess: RelayAccess = platformAccess(ctx)): Promise<RunningApi> {
  const server = createServer(createApp(ctx));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const relay = await attachRelay(server, ctx, relayAccess);
  const untrackSockets = trackWebSocketClients(() => relay.clientCount);
  const stopCleanup = startExpiredSignInCleanup(ctx);
  const stopRetention = startHistoryRetention(ctx);
  return {
    server,
    url: `http://${host}:${actualPort}`,
    close: async () => {
      stopCleanup();
      stopRetention();
      untrackSockets();
      await relay.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
