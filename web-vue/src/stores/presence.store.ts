import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Viewer } from '../api/push-protocol';
import { usePushStore } from './push.store';

/** Who else is looking at a topic, and what they are editing, as the relay reports it. */
export const usePresenceStore = defineStore('presence', () => {
  const push = usePushStore();
  const viewers = ref<Record<string, Viewer[]>>({});
  /** What this tab announced per topic, re-announced after a reconnect. */
  const announced = new Map<string, string | null>();

  push.onMessage((message) => {
    if (message.type === 'presence') viewers.value[message.topic] = message.viewers;
    if (message.type === 'subscribed' && announced.get(message.topic)) {
      push.send({ type: 'presence', topic: message.topic, editing: announced.get(message.topic) });
    }
  });

  // Viewer lists are only true while connected; an empty list beats a stale one.
  watch(
    () => push.status,
    (status) => {
      if (status !== 'open') viewers.value = {};
    },
  );

  /** Joins a topic's presence; returns the function that leaves it. */
  function track(topic: string): () => void {
    const unsubscribe = push.subscribe(topic);
    return () => {
      unsubscribe();
      announced.delete(topic);
      delete viewers.value[topic];
    };
  }

  /** Tells the others what this person is editing on the topic (null: nothing). */
  function setEditing(topic: string, what: string | null): void {
    announced.set(topic, what);
    push.send({ type: 'presence', topic, editing: what });
  }

  function viewersOf(topic: string): Viewer[] {
    return viewers.value[topic] ?? [];
  }

  /** The others (not `selfId`) editing `what` on the topic, e.g. a card on a board. */
  function editorsOf(topic: string, what: string, selfId: number): Viewer[] {
    return viewersOf(topic).filter((v) => v.editing === what && String(v.userId) !== String(selfId));
  }

  return { viewers, track, setEditing, viewersOf, editorsOf };
});
