import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { storesApi, type Backfill, type OrderFeedItem, type Store, type StoreAlert, type StoreFigures } from '../api/stores';
import type { Id } from '../api/types';
import { useAuthStore } from './auth.store';
import { usePushStore } from './push.store';

/** What `store:<id>` announces, typed; the relay sends the figures whole, so they replace. */
export type StoreLiveEvent =
  | { kind: 'order'; order: OrderFeedItem }
  | { kind: 'figures'; figures: StoreFigures }
  | { kind: 'alert'; alert: StoreAlert }
  | { kind: 'backfill'; backfill: Backfill }
  /** The store's connection changed (webhooks registered, app uninstalled): read it again. */
  | { kind: 'connection' };

export interface StoreLiveHandlers {
  onEvent: (storeId: Id, event: StoreLiveEvent) => void;
  /** The relay could not replay what was missed: load again. */
  onResync: () => void;
}

/** The current organization's stores, and the live feed of any of them for the pages that show it. */
export const useStoresStore = defineStore('stores', () => {
  const auth = useAuthStore();
  const push = usePushStore();
  const stores = ref<Store[] | null>(null);

  const orgId = computed(() => auth.currentOrg?.id ?? null);
  const requireOrg = (): Id => {
    if (orgId.value === null) throw new Error('No organization is selected.');
    return orgId.value;
  };

  async function load(): Promise<void> {
    stores.value = await storesApi.list(requireOrg());
  }

  /** Follows the stores' topics until the answered function is called. */
  function follow(storeIds: Id[], handlers: StoreLiveHandlers): () => void {
    const stops = storeIds.map((storeId) =>
      push.subscribe(`store:${storeId}`, {
        onEvent: ({ event, data }) => {
          const told = liveEventOf(event, data);
          if (told) handlers.onEvent(storeId, told);
        },
        onResync: handlers.onResync,
      }),
    );
    return () => stops.forEach((stop) => stop());
  }

  return { stores, orgId, requireOrg, load, follow };
});

/** A new alert goes on top; one that cleared is replaced where it is. */
export function withAlert(alerts: StoreAlert[], alert: StoreAlert): StoreAlert[] {
  return alerts.some((a) => a.id === alert.id) ? alerts.map((a) => (a.id === alert.id ? alert : a)) : [alert, ...alerts];
}

function liveEventOf(event: string, data: unknown): StoreLiveEvent | null {
  switch (event) {
    case 'order.created':
    case 'order.updated':
      return { kind: 'order', order: data as OrderFeedItem };
    case 'metrics.updated':
      return { kind: 'figures', figures: data as StoreFigures };
    case 'alert.fired':
    case 'alert.cleared':
      return { kind: 'alert', alert: data as StoreAlert };
    case 'backfill.progress':
      return { kind: 'backfill', backfill: data as Backfill };
    case 'store.updated':
    case 'store.uninstalled':
      return { kind: 'connection' };
    default:
      return null;
  }
}
