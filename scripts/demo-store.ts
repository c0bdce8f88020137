import { createHmac, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { Db } from '../db/connection.ts';
import type { Config } from '../runtime/config.ts';
import { seedDemoStore } from '../db/seed/stores.ts';

/** What the demo shop sells: prices in EUR. */
const CATALOG = [
  { productId: 101, inventoryItemId: 9101, sku: 'TENT-2P', title: 'Two-person tent', price: '189.00' },
  { productId: 102, inventoryItemId: 9102, sku: 'BAG-30', title: 'Sleeping bag −5 °C', price: '94.50' },
  { productId: 103, inventoryItemId: 9103, sku: 'MUG-TI', title: 'Titanium mug', price: '24.90' },
  { productId: 104, inventoryItemId: 9104, sku: 'LAMP-H', title: 'Head lamp', price: '39.00' },
  { productId: 105, inventoryItemId: 9105, sku: 'SOCK-W', title: 'Merino socks', price: '16.00' },
];
const LOCATION_ID = 7001;
const EVERY_MS = 4_000;

interface DemoOrder {
  id: number;
  createdAt: string;
  lines: Array<{ item: (typeof CATALOG)[number]; quantity: number }>;
}

export interface DemoStore {
  storeId: number;
  stop(): Promise<void>;
}

/**
 * A demo Shopify store for "Acme Ops" that sends its own API realistic, signed webhooks every few
 * seconds (new orders with line items, payments and cancellations of earlier ones, stock levels
 * going down, carts), so the dashboard moves. It also stands in for Shopify's Admin API on
 * 127.0.0.1, answering the actor's history and reconcile queries with no extra orders, so nothing
 * leaves the machine. Null when there is no demo organization.
 */
export async function startDemoStore(options: { apiUrl: string; db: Db; config: Pick<Config, 'ENCRYPTION_KEYS' | 'APP_SECRET'>; everyMs?: number; log?: (message: string) => void }): Promise<DemoStore | null> {
  const adminApi = createServer((req, res) => {
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      data: { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 2, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1998, restoreRate: 100 } } },
    }));
  });
  await new Promise<void>((resolve) => adminApi.listen(0, '127.0.0.1', resolve));
  const seeded = await seedDemoStore(options.db, options.config, `http://127.0.0.1:${(adminApi.address() as { port: number }).port}`);
  if (!seeded) {
    adminApi.close();
    return null;
  }
  const { storeId, webhookSecret } = seeded;
  const orders: DemoOrder[] = [];
  const stock = new Map(CATALOG.map((item) => [item.inventoryItemId, randomInt(12, 40)]));
  let sent = 0;

  async function deliver(topic: string, payload: unknown): Promise<void> {
    sent += 1;
    const body = JSON.stringify(payload);
    const res = await fetch(`${options.apiUrl}/webhooks/shopify/${storeId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-hmac-sha256': createHmac('sha256', webhookSecret).update(body).digest('base64'),
        'x-shopify-webhook-id': `demo-${Date.now()}-${sent}`,
        'x-shopify-triggered-at': new Date().toISOString(),
      },
      body,
    });
    await res.body?.cancel();
    if (!res.ok) options.log?.(`demo store: ${topic} answered ${res.status}`);
  }

  const orderPayload = (order: DemoOrder, status: { financial: string; cancelled?: boolean }) => {
    const total = order.lines.reduce((sum, l) => sum + Math.round(Number(l.item.price) * 100) * l.quantity, 0);
    const now = new Date().toISOString();
    return {
      id: order.id,
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      name: `#${order.id % 100_000}`,
      created_at: order.createdAt,
      updated_at: now,
      cancelled_at: status.cancelled ? now : null,
      financial_status: status.financial,
      total_price: (total / 100).toFixed(2),
      currency: 'EUR',
      cart_token: null,
      customer: { id: 5_000 + randomInt(1, 400), email: 'customer@example.test' },
      line_items: order.lines.map((l, i) => ({ id: order.id * 10 + i, product_id: l.item.productId, sku: l.item.sku, title: l.item.title, quantity: l.quantity, price: l.item.price })),
    };
  };

  async function newOrder(): Promise<void> {
    const lines = [...CATALOG].sort(() => Math.random() - 0.5).slice(0, randomInt(1, 4)).map((item) => ({ item, quantity: randomInt(1, 3) }));
    const order: DemoOrder = { id: Date.now(), createdAt: new Date().toISOString(), lines };
    orders.push(order);
    if (orders.length > 50) orders.shift();
    await deliver('orders/create', orderPayload(order, { financial: 'paid' }));
    // Selling moves stock: one inventory level per line.
    for (const { item, quantity } of lines) {
      const left = Math.max(0, stock.get(item.inventoryItemId)! - quantity);
      stock.set(item.inventoryItemId, left < 2 && Math.random() < 0.5 ? randomInt(20, 40) : left); // a restock now and then
      await deliver('inventory_levels/update', { inventory_item_id: item.inventoryItemId, location_id: LOCATION_ID, available: stock.get(item.inventoryItemId), updated_at: new Date().toISOString() });
    }
  }

  async function tick(): Promise<void> {
    const roll = Math.random();
    const earlier = orders.length ? orders[randomInt(0, orders.length)] : null;
    if (roll < 0.65 || !earlier) await newOrder();
    else if (roll < 0.8) await deliver('orders/updated', orderPayload(earlier, { financial: Math.random() < 0.5 ? 'refunded' : 'voided', cancelled: true }));
    else {
      const item = CATALOG[randomInt(0, CATALOG.length)];
      await deliver('carts/create', { token: `demo-cart-${Date.now()}`, created_at: new Date().toISOString(), line_items: [{ price: item.price, line_price: item.price, quantity: 1 }] });
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const every = options.everyMs ?? EVERY_MS;
    timer = setTimeout(() => {
      running = tick()
        .catch((error: Error) => options.log?.(`demo store: ${error.message}`))
        .finally(schedule);
    }, every / 2 + randomInt(0, every));
  };
  schedule();

  return {
    storeId,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await new Promise<void>((resolve) => adminApi.close(() => resolve()));
    },
  };
}
