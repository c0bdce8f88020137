import { z } from 'zod';
import type { Logger } from 'pino';
import type { RelayClient } from './client.ts';
import type { Viewer } from './protocol.ts';

/** Presence travels between API processes on its own NOTIFY channel; nothing of it is stored. */
export const PRESENCE_CHANNEL = 'pulseboard_presence';

/** NOTIFY refuses payloads of 8000 bytes or more. */
const NOTIFY_LIMIT = 7900;

/**
 * Changes to one topic within this window go out as one message: 500 sockets joining a
 * topic would otherwise send 500 lists to each of them.
 */
const COALESCE_MS = 25;

const viewerSchema = z.object({ userId: z.string(), name: z.string(), editing: z.string().nullable() });

/**
 * What one process says about one topic: its viewers there (replacing what it said before),
 * or, with `ask`, a request that the others say theirs (a process that just got interested).
 */
const noticeSchema = z.object({
  node: z.string(),
  topic: z.string(),
  viewers: z.array(viewerSchema).optional(),
  ask: z.boolean().optional(),
});

type Notice = z.infer<typeof noticeSchema>;

export interface PresenceOptions {
  /** This process, so it can tell its own notices from the others'. */
  node: string;
  log: Logger;
  announce: (payload: string) => Promise<void>;
  /** Sends the topic's viewers to the local sockets subscribed to it. */
  broadcast: (topic: string, viewers: Viewer[]) => void;
  /** A process that stopped announcing (crashed) is forgotten after this long. */
  ttlMs: number;
}

/**
 * Who views which topic, across API processes. Each process owns its own sockets' presence
 * and tells the others with a notice whenever it changes and again every third of the TTL,
 * so a process that died without a word drops out when its notices stop.
 */
export class Presence {
  private readonly local = new Map<string, Map<RelayClient, Viewer>>();
  private readonly remote = new Map<string, Map<string, { viewers: Viewer[]; expiresAt: number }>>();
  private readonly timer: NodeJS.Timeout;
  private readonly toBroadcast = new Set<string>();
  private readonly toTell = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PresenceOptions) {
    this.timer = setInterval(() => this.refresh(), options.ttlMs / 3);
    this.timer.unref();
  }

  /** A subscribed socket views the topic; subscribing again keeps what it said it edits. */
  join(client: RelayClient, topic: string): void {
    this.set(client, topic, this.local.get(topic)?.get(client)?.editing ?? null);
  }

  /** The client views the topic, editing something or nothing. */
  set(client: RelayClient, topic: string, editing: string | null): void {
    let viewers = this.local.get(topic);
    if (!viewers) this.local.set(topic, (viewers = new Map()));
    viewers.set(client, { userId: client.principal.id, name: client.principal.name, editing });
    this.changed(topic);
  }

  remove(client: RelayClient, topic: string): void {
    const viewers = this.local.get(topic);
    if (!viewers?.delete(client)) return;
    if (viewers.size === 0) this.local.delete(topic);
    this.changed(topic);
  }

  removeClient(client: RelayClient): void {
    for (const [topic, viewers] of this.local) if (viewers.has(client)) this.remove(client, topic);
  }

  /** A local socket subscribed: the first one in this process asks the others who is there. */
  watch(topic: string, firstHere: boolean): void {
    if (firstHere) this.send({ node: this.options.node, topic, ask: true });
  }

  /** One entry per person, whichever process and however many tabs they are in. */
  viewers(topic: string): Viewer[] {
    const byUser = new Map<string, Viewer>();
    const all = [...(this.local.get(topic)?.values() ?? []), ...[...(this.remote.get(topic)?.values() ?? [])].flatMap((entry) => entry.viewers)];
    for (const viewer of all) {
      const seen = byUser.get(viewer.userId);
      if (!seen || (seen.editing === null && viewer.editing !== null)) byUser.set(viewer.userId, viewer);
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  }

  noticed(payload: string): void {
    let notice: Notice;
    try {
      notice = noticeSchema.parse(JSON.parse(payload));
    } catch {
      this.options.log.warn('relay ignored a malformed presence notice');
      return;
    }
    if (notice.node === this.options.node) return;
    if (notice.ask) {
      if (this.local.has(notice.topic)) this.tell(notice.topic);
      return;
    }
    const before = JSON.stringify(this.viewers(notice.topic));
    let nodes = this.remote.get(notice.topic);
    if (!nodes) this.remote.set(notice.topic, (nodes = new Map()));
    if (notice.viewers?.length) nodes.set(notice.node, { viewers: notice.viewers, expiresAt: Date.now() + this.options.ttlMs });
    else nodes.delete(notice.node);
    if (nodes.size === 0) this.remote.delete(notice.topic);
    if (JSON.stringify(this.viewers(notice.topic)) !== before) this.schedule(notice.topic, false);
  }

  /** Tells the other processes that this one's viewers are gone; for a clean shutdown. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const topics = [...this.local.keys()];
    this.local.clear();
    await Promise.all(topics.map((topic) => this.send({ node: this.options.node, topic, viewers: [] })));
  }

  private changed(topic: string): void {
    this.schedule(topic, true);
  }

  /** Broadcasts the topic's viewers locally soon, and tells the other processes when the change is ours. */
  private schedule(topic: string, tell: boolean): void {
    this.toBroadcast.add(topic);
    if (tell) this.toTell.add(topic);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      for (const pending of this.toBroadcast) this.options.broadcast(pending, this.viewers(pending));
      for (const pending of this.toTell) this.tell(pending);
      this.toBroadcast.clear();
      this.toTell.clear();
    }, COALESCE_MS);
  }

  private tell(topic: string): void {
    void this.send({ node: this.options.node, topic, viewers: [...(this.local.get(topic)?.values() ?? [])] });
  }

  private async send(notice: Notice): Promise<void> {
    let payload = JSON.stringify(notice);
    // A crowd too large for one notice is told in part; the board shows a handful of faces anyway.
    while (Buffer.byteLength(payload) >= NOTIFY_LIMIT && notice.viewers?.length) {
      notice = { ...notice, viewers: notice.viewers.slice(0, Math.floor(notice.viewers.length * 0.8)) };
      payload = JSON.stringify(notice);
    }
    try {
      await this.options.announce(payload);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message }, 'relay could not announce presence');
    }
  }

  private refresh(): void {
    for (const topic of this.local.keys()) this.tell(topic);
    const now = Date.now();
    for (const [topic, nodes] of this.remote) {
      const before = nodes.size;
      for (const [node, entry] of nodes) if (entry.expiresAt <= now) nodes.delete(node);
      if (nodes.size === before) continue;
      if (nodes.size === 0) this.remote.delete(topic);
      this.schedule(topic, false);
    }
  }
}
