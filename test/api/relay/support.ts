import { createServer, type IncomingMessage, type Server } from 'node:http';
import { WebSocket, type ClientOptions } from 'ws';
import { attachRelay, type Relay, type RelayOptions } from '../../../api/realtime/relay.ts';
import type { RelayAccess, RelayPrincipal } from '../../../api/realtime/access.ts';
import { publish } from '../../../db/realtime/publish.ts';
import { testContext, testDb } from '../../support/app.ts';

let topics = 0;

/** A topic no other test uses: seqs live in the shared test database. */
export function freshBoard(): string {
  topics += 1;
  return `board:t${topics}-${process.pid}-${Date.now().toString(36)}`;
}

/** Publishes in a committed transaction of its own, as an activity would. */
export function publishCommitted(topic: string, event: string, data: unknown): Promise<number> {
  return testDb().transaction((trx) => publish(trx, topic, event, data));
}

export interface TestUser extends RelayPrincipal {
  boards: boolean;
}

export const users = {
  alice: { id: 'u-alice', name: 'Alice', boards: true },
  bob: { id: 'u-bob', name: 'Bob', boards: true },
  carol: { id: 'u-carol', name: 'Carol', boards: false },
} satisfies Record<string, TestUser>;

/**
 * Stands in for identity: `Authorization: Bearer <user id>`; alice and bob may see every
 * board, carol none; each user may see their own `user:<id>` topic.
 */
export const testAccess: RelayAccess<TestUser> = {
  async authenticate(req: IncomingMessage) {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    return Object.values(users).find((user) => user.id === token) ?? null;
  },
  async canSubscribe(principal, topic) {
    return topic.startsWith('board:') ? principal.boards : topic === `user:${principal.id}`;
  },
};

export interface RelayServer {
  url: string;
  relay: Relay;
  server: Server;
  close: () => Promise<void>;
}

/** An HTTP server on loopback with the relay attached: one API process as far as the relay is concerned. */
export async function startRelayServer<P extends RelayPrincipal>(
  access: RelayAccess<P>,
  options: Partial<RelayOptions> = {},
): Promise<RelayServer> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relay = await attachRelay(server, testContext(), access, options);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    relay,
    server,
    close: async () => {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Message = { type: string; topic?: string; [key: string]: any };

/** A real WebSocket client that keeps every message, so a test can await the one it expects. */
export class TestSocket {
  readonly received: Message[] = [];
  private cursor = 0;
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(String(data)));
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
  }

  static async open(url: string, user: TestUser | null, options: ClientOptions = {}): Promise<TestSocket> {
    const headers = user ? { authorization: `Bearer ${user.id}` } : undefined;
    const ws = new WebSocket(url, { headers, ...options });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new TestSocket(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message after the ones already taken that matches; earlier non-matching ones are skipped. */
  async next(match: Partial<Message> = {}, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.received.length) {
        const message = this.received[this.cursor++];
        if (matches(message, match)) return message;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message like ${JSON.stringify(match)}; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async subscribe(topic: string, since?: number): Promise<Message> {
    this.send({ type: 'subscribe', topic, ...(since === undefined ? {} : { since }) });
    return this.next({ type: 'subscribed', topic });
  }

  /** Every message received so far, by type and topic, for assertions on what did not come. */
  seen(match: Partial<Message>): Message[] {
    return this.received.filter((message) => matches(message, match));
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Opens sockets for the tests of a describe block (to `defaultUrl()` unless told otherwise)
 * and closes them after each test, whatever happened.
 */
export function socketOpener(defaultUrl: () => string) {
  const opened: TestSocket[] = [];
  afterEach(() => opened.splice(0).forEach((socket) => socket.close()));
  return async (user: TestUser | null, url = defaultUrl(), options: ClientOptions = {}): Promise<TestSocket> => {
    const socket = await TestSocket.open(url, user, options);
    opened.push(socket);
    return socket;
  };
}

function matches(message: Message, match: Partial<Message>): boolean {
  return Object.entries(match).every(([key, value]) => JSON.stringify(message[key]) === JSON.stringify(value));
}
