import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { RelayPrincipal } from './access.ts';
import type { ServerMessage } from './protocol.ts';

/** One topic a socket follows, and the last seq it was sent. */
export interface Subscription {
  client: RelayClient;
  topic: string;
  position: number;
  /** While its backlog is being sent, live events wait in the database rather than jump the queue. */
  catchingUp: boolean;
  active: boolean;
}

/** One connected socket: its principal, its subscriptions, and a send that guards memory. */
export class RelayClient {
  readonly subscriptions = new Map<string, Subscription>();
  /** Cleared by each heartbeat ping, set by the pong; still clear at the next ping means dead. */
  alive = true;
  /** Messages are handled one after the other, so a presence right after a subscribe finds it. */
  queue: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    readonly principal: RelayPrincipal,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
  ) {}

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(message: ServerMessage): void {
    this.sendFrame(JSON.stringify(message));
  }

  /** Sends an already serialised message; fan-out serialises an event once for all sockets. */
  sendFrame(frame: string | Buffer): void {
    if (!this.open) return;
    // A reader that does not keep up would make the relay hold every event for it; it is cut
    // off instead and may reconnect with `since`, which its backlog answers from the database.
    // What counts is what is still waiting: one large event alone does not cut off a fast reader.
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.log.warn({ userId: this.principal.id, buffered: this.socket.bufferedAmount }, 'relay dropped a socket that does not keep up');
      this.socket.terminate();
      return;
    }
    this.socket.send(frame, { binary: false });
  }
}
