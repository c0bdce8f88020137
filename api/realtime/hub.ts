import type { Logger } from 'pino';
import type { EventNotification } from '../../db/realtime/channel.ts';
import type { Backlog, StoredEvent } from './backlog.ts';
import type { RelayClient, Subscription } from './client.ts';

/** Rows read per query when the relay or a socket catches up from the database. */
const BATCH = 500;
const SYNC_RETRY_MS = 1000;

interface TopicState {
  topic: string;
  subscribers: Set<Subscription>;
  /** Last seq fanned out by this process; everything up to it was sent to every caught-up subscriber. */
  delivered: number;
  /** Resolves once `delivered` is read from the database. */
  ready: Promise<void>;
  syncing: Promise<void> | null;
  /** A sync was asked for while one ran: run again when it ends. */
  wanted: boolean;
}

/**
 * Fan-out of one process: topics with local subscribers, in seq order, without gaps.
 * A notification that is the next seq and carries its event is sent at once; anything else
 * (a large event sent by reference, a gap after a lost connection) is read from the database.
 */
export class Hub {
  private readonly topics = new Map<string, TopicState>();

  constructor(
    private readonly backlog: Backlog,
    private readonly log: Logger,
    /** The most events a reconnecting socket is sent; beyond it, `resync`. */
    private readonly replayLimit: number,
  ) {}

  subscribers(topic: string): Iterable<Subscription> {
    return this.topics.get(topic)?.subscribers ?? [];
  }

  /**
   * Subscribes a socket: answers `subscribed` with the topic's seq, then what it missed since
   * `since` (or `resync` when that is more than the backlog holds), then live events.
   * Returns false when the socket went away meanwhile.
   */
  async subscribe(client: RelayClient, topic: string, since: number | undefined): Promise<boolean> {
    const state = this.stateFor(topic);
    const sub: Subscription = { client, topic, position: 0, catchingUp: true, active: true };
    state.subscribers.add(sub);
    client.subscriptions.set(topic, sub);
    try {
      await state.ready;
      const head = await this.backlog.head(topic);
      if (!sub.active) return false;
      client.send({ type: 'subscribed', topic, seq: head });
      sub.position = head;
      if (since !== undefined && since !== head) await this.replay(sub, since, head);
      await this.catchUp(sub, state);
    } catch (error) {
      this.unsubscribe(sub);
      throw error;
    }
    sub.catchingUp = false;
    return sub.active;
  }

  unsubscribe(sub: Subscription): void {
    sub.active = false;
    if (sub.client.subscriptions.get(sub.topic) === sub) sub.client.subscriptions.delete(sub.topic);
    const state = this.topics.get(sub.topic);
    if (!state) return;
    state.subscribers.delete(sub);
    if (state.subscribers.size === 0) this.topics.delete(sub.topic);
  }

  notified(notification: EventNotification): void {
    const state = this.topics.get(notification.topic);
    if (!state) return;
    const inline = notification.event !== undefined;
    if (!state.syncing && inline && notification.seq === state.delivered + 1) {
      this.deliver(state, notification as StoredEvent);
    } else if (notification.seq > state.delivered) {
      this.sync(state);
    }
  }

  /** After the listener was away: whatever was announced meanwhile is read from the database. */
  syncAll(): void {
    for (const state of this.topics.values()) this.sync(state);
  }

  private stateFor(topic: string): TopicState {
    const existing = this.topics.get(topic);
    if (existing) return existing;
    // Until the head is read, any notification asks for a sync, and a sync waits for the head.
    const state: TopicState = { topic, subscribers: new Set(), delivered: Number.NEGATIVE_INFINITY, ready: Promise.resolve(), syncing: null, wanted: false };
    state.ready = this.backlog.head(topic).then(
      (head) => {
        state.delivered = head;
      },
      (error) => {
        if (this.topics.get(topic) === state) this.topics.delete(topic);
        throw error;
      },
    );
    state.ready.catch(() => {});
    this.topics.set(topic, state);
    return state;
  }

  private async replay(sub: Subscription, since: number, head: number): Promise<void> {
    const resync = () => {
      sub.client.send({ type: 'resync', topic: sub.topic });
    };
    // A `since` ahead of the topic comes from another database or a reset one.
    if (since > head || head - since > this.replayLimit) return resync();
    const missed = await this.backlog.after(sub.topic, since, head - since);
    if (!sub.active) return;
    // The oldest missed event was pruned: what is left would not be the whole story.
    if (missed[0]?.seq !== since + 1) return resync();
    for (const event of missed) sub.client.sendFrame(encodeEvent(event));
  }

  /** Sends what the hub fanned out while this socket was being subscribed. */
  private async catchUp(sub: Subscription, state: TopicState): Promise<void> {
    while (sub.active && sub.position < state.delivered) {
      const events = await this.backlog.after(sub.topic, sub.position, BATCH);
      if (events.length === 0) return;
      for (const event of events) {
        if (!sub.active) return;
        sub.position = event.seq;
        sub.client.sendFrame(encodeEvent(event));
      }
    }
  }

  private sync(state: TopicState): void {
    state.wanted = true;
    if (state.syncing) return;
    state.syncing = (async () => {
      try {
        await state.ready;
        while (state.wanted && this.topics.get(state.topic) === state) {
          state.wanted = false;
          const events = await this.backlog.after(state.topic, state.delivered, BATCH);
          for (const event of events) this.deliver(state, event);
          if (events.length === BATCH) state.wanted = true;
        }
      } catch (error) {
        this.log.warn({ err: (error as Error).message, topic: state.topic }, 'relay could not read events; retrying');
        setTimeout(() => this.topics.get(state.topic) === state && this.sync(state), SYNC_RETRY_MS).unref();
      } finally {
        state.syncing = null;
      }
    })();
  }

  private deliver(state: TopicState, event: StoredEvent): void {
    if (event.seq <= state.delivered) return;
    state.delivered = event.seq;
    const frame = encodeEvent(event);
    for (const sub of state.subscribers) {
      if (sub.catchingUp || event.seq <= sub.position) continue;
      sub.position = event.seq;
      sub.client.sendFrame(frame);
    }
  }
}

function encodeEvent(event: StoredEvent): Buffer {
  return Buffer.from(JSON.stringify({ type: 'event', topic: event.topic, seq: event.seq, event: event.event, data: event.data }));
}
