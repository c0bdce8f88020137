import { defineStore } from 'pinia';
import type { NotificationView as AppNotification } from '../../../domain/contract.ts';
import { ref } from 'vue';
import { http } from '../api/http';
import type { Id } from '../api/types';
import { useAuthStore } from './auth.store';
import { usePushStore } from './push.store';

export type { AppNotification };

/** How many the bell lists; older ones are not shown anywhere yet. */
const LATEST = 10;

/** The signed-in person's latest notifications and unread count, kept live through `user:<id>`. */
export const useNotificationsStore = defineStore('notifications', () => {
  const push = usePushStore();
  const auth = useAuthStore();
  const items = ref<AppNotification[] | null>(null);
  const unread = ref(0);
  let stopFollowing: (() => void) | undefined;

  async function load(): Promise<void> {
    const page = await http.get<{ items: AppNotification[]; unread: number }>('/notifications', { limit: LATEST });
    items.value = page.items;
    unread.value = page.unread;
  }

  function created(notification: AppNotification, count: number): void {
    const others = (items.value ?? []).filter((n) => n.id !== notification.id);
    items.value = [notification, ...others].slice(0, LATEST);
    unread.value = count;
  }

  /** Loads and follows while the bell is on screen; `stop` ends it. */
  function start(): void {
    if (stopFollowing || !auth.user) return;
    stopFollowing = push.subscribe(`user:${auth.user.id}`, {
      onEvent: (event) => {
        if (event.event === 'notification.created') {
          const data = event.data as { notification: AppNotification; unread: number };
          created(data.notification, data.unread);
        } else if (event.event === 'notification.read') {
          // Another tab marked some read; only the count comes along, so the list is reloaded.
          unread.value = (event.data as { unread: number }).unread;
          void load().catch(() => undefined);
        }
      },
      onResync: () => void load().catch(() => undefined),
    });
    void load().catch(() => undefined);
  }

  function stop(): void {
    stopFollowing?.();
    stopFollowing = undefined;
    items.value = null;
    unread.value = 0;
  }

  async function markRead(ids: Id[] | 'all'): Promise<void> {
    const body = ids === 'all' ? { all: true } : { ids };
    const result = await http.post<{ unread: number }>('/notifications/read', body);
    unread.value = result.unread;
    items.value = (items.value ?? []).map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, read: true } : n));
  }

  return { items, unread, start, stop, load, markRead };
});
