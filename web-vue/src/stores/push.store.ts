import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ClientMessage, PushEvent, ServerMessage } from '../api/push-protocol';

export type PushStatus = 'offline' | 'connecting' | 'open' | 'reconnecting';

export interface TopicHandlers {
  onEvent?: (event: PushEvent) => void;
  /** The server could not replay what was missed: reload the topic's data from the API. */
  onResync?: () => void;
  onError?: (code: string, message: string) => void;
}

interface TopicState {
  /** Last sequence number seen; sent as `since` when resubscribing after a reconnect. */
  seq: number | null;
  handlers: Set<TopicHandlers>;
}

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/**
 * Owns the app's single WebSocket to /ws. Pages subscribe to topics; the store keeps
 * the subscriptions across reconnects and asks the server only for what was missed.
 */
export const usePushStore = defineStore('push', () => {
  const status = ref<PushStatus>('offline');
  const topics = new Map<string, TopicState>();
  const messageListeners = new Set<(message: ServerMessage) => void>();
  let socket: WebSocket | null = null;
  let wanted = false;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  function url(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws`;
  }

  function send(message: ClientMessage): boolean {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function sendSubscribe(topic: string, state: TopicState): void {
    send(state.seq === null ? { type: 'subscribe', topic } : { type: 'subscribe', topic, since: state.seq });
  }

  function connect(): void {
    wanted = true;
    if (socket) return;
    clearTimeout(reconnectTimer);
    status.value = attempt === 0 ? 'connecting' : 'reconnecting';
    const ws = new WebSocket(url());
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      status.value = 'open';
      topics.forEach((state, topic) => sendSubscribe(topic, state));
      startPing();
    };
    ws.onmessage = (raw) => receive(JSON.parse(String(raw.data)) as ServerMessage);
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      stopPing();
      if (wanted) scheduleReconnect();
      else status.value = 'offline';
    };
  }

  function scheduleReconnect(): void {
    status.value = 'reconnecting';
    // Exponential with jitter, so many tabs do not all come back in the same instant.
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    reconnectTimer = setTimeout(connect, delay);
  }

  /** Closes the socket and forgets every subscription (sign-out). */
  function disconnect(): void {
    wanted = false;
    attempt = 0;
    clearTimeout(reconnectTimer);
    topics.clear();
    const ws = socket;
    socket = null;
    stopPing();
    ws?.close();
    status.value = 'offline';
  }

  /** A half-open connection never fires `close`; a missing pong is how we notice it. */
  function startPing(): void {
    pingTimer = setInterval(() => {
      if (!send({ type: 'ping' })) return;
      pongTimer ??= setTimeout(() => socket?.close(), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  function stopPing(): void {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    pongTimer = undefined;
  }

  function receive(message: ServerMessage): void {
    const state = 'topic' in message && message.topic ? topics.get(message.topic) : undefined;
    switch (message.type) {
      case 'pong':
        clearTimeout(pongTimer);
        pongTimer = undefined;
        break;
      case 'subscribed':
        // A fresh subscription starts from the server's position; a resumed one keeps ours.
        if (state && state.seq === null) state.seq = message.seq;
        break;
      case 'event':
        if (!state) break;
        if (state.seq !== null && message.seq <= state.seq) break; // already seen
        state.seq = message.seq;
        state.handlers.forEach((h) => h.onEvent?.(message));
        break;
      case 'resync':
        if (!state) break;
        state.seq = null;
        state.handlers.forEach((h) => h.onResync?.());
        break;
      case 'error':
        state?.handlers.forEach((h) => h.onError?.(message.code, message.message));
        // Refused for good: do not ask again on every reconnect.
        if (message.code === 'forbidden' && message.topic) topics.delete(message.topic);
        break;
    }
    messageListeners.forEach((listener) => listener(message));
  }

  /** Subscribes to a topic; returns the function that ends this subscription. */
  function subscribe(topic: string, handlers: TopicHandlers = {}): () => void {
    let state = topics.get(topic);
    if (!state) {
      state = { seq: null, handlers: new Set() };
      topics.set(topic, state);
      sendSubscribe(topic, state);
    }
    state.handlers.add(handlers);
    return () => {
      const current = topics.get(topic);
      if (!current) return;
      current.handlers.delete(handlers);
      if (current.handlers.size > 0) return;
      topics.delete(topic);
      send({ type: 'unsubscribe', topic });
    };
  }

  /** Every message from the server, for stores that keep their own view of it (presence). */
  function onMessage(listener: (message: ServerMessage) => void): () => void {
    messageListeners.add(listener);
    return () => messageListeners.delete(listener);
  }

  // Come back at once when the network returns instead of waiting out the backoff.
  window.addEventListener('online', () => {
    if (wanted && !socket) {
      attempt = 0;
      connect();
    }
  });

  return { status, connect, disconnect, subscribe, send, onMessage };
});
