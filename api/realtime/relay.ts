import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AppContext } from '../context.ts';
import type { Db } from '../../db/connection.ts';
import { EVENTS_CHANNEL, eventNotificationSchema } from '../../db/realtime/channel.ts';
import { pruneEvents } from '../../db/realtime/prune.ts';
import type { RelayAccess, RelayPrincipal } from './access.ts';
import { Backlog } from './backlog.ts';
import { RelayClient } from './client.ts';
import { startHeartbeat } from './heartbeat.ts';
import { isAllowedOrigin } from './origin.ts';
import { MessageBudget } from './message-budget.ts';
import { Hub } from './hub.ts';
import { Listener } from './listener.ts';
import { PRESENCE_CHANNEL, Presence } from './presence.ts';
import { parseClientMessage, type ClientMessage } from './protocol.ts';
import { observeRelayLag } from '../../runtime/metrics.ts';

export interface RelayOptions {
  /** Server ping interval; a socket silent for two of them is dropped. */
  heartbeatMs: number;
  /** A socket whose unsent messages exceed this is dropped. */
  maxBufferedBytes: number;
  /** The most missed events a reconnecting socket is sent before it is told to resync. */
  replayLimit: number;
  maxSubscriptionsPerSocket: number;
  presenceTtlMs: number;
  pruneEveryMs: number;
  /** Largest client message; clients only send small control messages. */
  maxMessageBytes: number;
  /** Average messages a socket may send each second, and how many at once. */
  messagesPerSecond: number;
  messageBurst: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  heartbeatMs: 15_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  replayLimit: 1000,
  maxSubscriptionsPerSocket: 200,
  presenceTtlMs: 45_000,
  pruneEveryMs: 10 * 60_000,
  maxMessageBytes: 16 * 1024,
  messagesPerSecond: 20,
  messageBurst: 100,
};

export interface Relay {
  /** Sockets connected to this process. */
  readonly clientCount: number;
  /** The listener's backend pid (pg_stat_activity), null while it reconnects. */
  readonly listenerPid: number | null;
  close(): Promise<void>;
}

/**
 * Serves the realtime relay at `/ws` on the API's HTTP server: authenticates the upgrade,
 * listens for announced events on one connection and fans them out to the sockets
 * subscribed to their topics, with presence and heartbeats. Resolves once listening.
 */
export async function attachRelay<P extends RelayPrincipal>(
  server: Server,
  ctx: AppContext,
  access: RelayAccess<P>,
  overrides: Partial<RelayOptions> = {},
): Promise<Relay> {
  const options = { ...DEFAULT_RELAY_OPTIONS, ...overrides };
  const log = ctx.log.child({ part: 'relay' });
  // Each socket with its principal as `access` typed it, to check its subscriptions again.
  const clients = new Map<RelayClient, P>();
  const hub = new Hub(new Backlog(ctx.db), log, options.replayLimit);
  const presence = new Presence({
    node: randomUUID(),
    log,
    ttlMs: options.presenceTtlMs,
    announce: async (payload) => {
      await ctx.db.raw('select pg_notify(?, ?)', [PRESENCE_CHANNEL, payload]);
    },
    broadcast: (topic, viewers) => {
      const frame = JSON.stringify({ type: 'presence', topic, viewers });
      for (const sub of hub.subscribers(topic)) sub.client.sendFrame(frame);
    },
  });
  const listener = new Listener({
    connection: connectionOf(ctx.db),
    channels: [EVENTS_CHANNEL, PRESENCE_CHANNEL],
    log,
    onNotification: (channel, payload) => {
      if (channel === PRESENCE_CHANNEL) return presence.noticed(payload);
      const notice = safeJson(payload);
      const parsed = eventNotificationSchema.safeParse(notice);
      if (!parsed.success) return log.warn('relay ignored a malformed event notification');
      hub.notified(parsed.data);
      if (parsed.data.at !== undefined) observeRelayLag(parsed.data.at);
      // The events that change access (team changes) are small, so they always travel inline.
      const { topic, event, data } = parsed.data;
      if (event !== undefined) recheck(access.accessChangedBy?.({ topic, event, data }) ?? []);
    },
    onReconnected: () => hub.syncAll(),
  });
  await listener.start();

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const stopHeartbeat = startHeartbeat(() => clients.keys(), options.heartbeatMs);
  const pruneTimer = setInterval(() => {
    pruneEvents(ctx.db).catch((error: Error) => log.warn({ err: error.message }, 'relay could not prune old events'));
  }, options.pruneEveryMs);
  pruneTimer.unref();
  let closing = false;

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Other paths may belong to other upgrade handlers.
    if (new URL(req.url ?? '/', 'http://relay').pathname !== '/ws') return;
    socket.on('error', () => socket.destroy());
    if (!isAllowedOrigin(req, ctx.config.PUBLIC_URL)) return refuse(socket, 403, 'Forbidden');
    let principal: P | null;
    try {
      principal = closing ? null : await access.authenticate(req);
    } catch (error) {
      log.error({ err: (error as Error).message }, 'relay could not authenticate an upgrade');
      return refuse(socket, 503, 'Service Unavailable');
    }
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (!principal) return refuse(socket, 401, 'Unauthorized');
    const who = principal;
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, who));
  }
  const upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(req, socket, head);
  server.on('upgrade', upgradeListener);

  function accept(ws: WebSocket, principal: P): void {
    const client = new RelayClient(ws, principal, options.maxBufferedBytes, log);
    clients.set(client, principal);
    ws.on('pong', () => {
      client.alive = true;
    });
    const budget = new MessageBudget(options.messagesPerSecond, options.messageBurst, Date.now());
    ws.on('message', (data, isBinary) => {
      if (!budget.take(Date.now())) {
        client.send({ type: 'error', code: 'rate-limited', message: `Send at most ${options.messagesPerSecond} messages a second; this one was dropped.` });
        return;
      }
      // A failure must not break the chain, or every later message of this socket would be skipped.
      client.queue = client.queue
        .then(() => handle(client, principal, data, isBinary))
        .catch((error: Error) => log.error({ err: error.message }, 'relay failed on a message'));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clients.delete(client);
      presence.removeClient(client);
      for (const sub of [...client.subscriptions.values()]) hub.unsubscribe(sub);
    });
  }

  async function handle(client: RelayClient, principal: P, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return client.send({ type: 'error', code: 'invalid-message', message: 'Messages are JSON text frames.' });
    const parsed = parseClientMessage(String(data));
    if (!parsed.ok) return client.send(parsed.error);
    try {
      await dispatch(client, principal, parsed.message);
    } catch (error) {
      log.error({ err: (error as Error).message, type: parsed.message.type }, 'relay could not handle a message');
      const topic = 'topic' in parsed.message ? parsed.message.topic : undefined;
      client.send({ type: 'error', code: 'unavailable', message: 'The relay could not do that now; try again.', ...(topic ? { topic } : {}) });
    }
  }

  /**
   * Checks again each topic that the sockets of these principals follow, as a subscribe would,
   * and drops those no longer allowed: a member removed from an organization stops hearing of it
   * now, not when the socket reconnects. In the socket's queue, so it cannot race a subscribe.
   */
  function recheck(principalIds: string[]): void {
    if (principalIds.length === 0) return;
    for (const [client, principal] of clients) {
      if (!principalIds.includes(principal.id)) continue;
      client.queue = client.queue
        .then(() => dropForbidden(client, principal))
        .catch((error: Error) => log.error({ err: error.message }, 'relay could not check a socket\'s subscriptions again'));
    }
  }

  async function dropForbidden(client: RelayClient, principal: P): Promise<void> {
    for (const sub of [...client.subscriptions.values()]) {
      if (await access.canSubscribe(principal, sub.topic)) continue;
      if (!sub.active) continue;
      hub.unsubscribe(sub);
      presence.remove(client, sub.topic);
      client.send({ type: 'error', topic: sub.topic, code: 'forbidden', message: `You may no longer follow ${sub.topic}.` });
    }
  }

  async function dispatch(client: RelayClient, principal: P, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'ping':
        return client.send({ type: 'pong' });
      case 'unsubscribe': {
        const sub = client.subscriptions.get(message.topic);
        if (!sub) return;
        hub.unsubscribe(sub);
        return presence.remove(client, message.topic);
      }
      case 'presence':
        if (!client.subscriptions.has(message.topic)) {
          return client.send({ type: 'error', topic: message.topic, code: 'not-subscribed', message: `Subscribe to ${message.topic} before announcing presence there.` });
        }
        return presence.set(client, message.topic, message.editing ?? null);
      case 'subscribe': {
        const { topic, since } = message;
        if (!client.subscriptions.has(topic) && client.subscriptions.size >= options.maxSubscriptionsPerSocket) {
          return client.send({ type: 'error', topic, code: 'too-many-subscriptions', message: `A socket may follow at most ${options.maxSubscriptionsPerSocket} topics.` });
        }
        if (!(await access.canSubscribe(principal, topic))) {
          return client.send({ type: 'error', topic, code: 'forbidden', message: `You may not subscribe to ${topic}.` });
        }
        if (!client.open) return;
        // Subscribing again (say with a `since`) starts over from what this one asks for.
        const previous = client.subscriptions.get(topic);
        if (previous) hub.unsubscribe(previous);
        const firstHere = isEmpty(hub.subscribers(topic));
        if (!(await hub.subscribe(client, topic, since))) return;
        presence.watch(topic, firstHere);
        // Following a topic is viewing it; the broadcast also gives the newcomer who is there.
        return presence.join(client, topic);
      }
    }
  }

  return {
    get clientCount() {
      return clients.size;
    },
    get listenerPid() {
      return listener.pid;
    },
    async close() {
      closing = true;
      server.off('upgrade', upgradeListener);
      stopHeartbeat();
      clearInterval(pruneTimer);
      await presence.close();
      await listener.close();
      for (const client of clients.keys()) client.socket.close(1001, 'server shutting down');
      for (const client of clients.keys()) client.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function isEmpty(items: Iterable<unknown>): boolean {
  for (const _ of items) return false;
  return true;
}

function safeJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}

/** The listener connects where the knex pool does, outside it. */
function connectionOf(db: Db): pg.ClientConfig {
  const connection = (db.client as { config: { connection: string | pg.ClientConfig } }).config.connection;
  return typeof connection === 'string' ? { connectionString: connection } : { ...connection };
}
