import { randomInt } from 'node:crypto';
import type { AppContext } from '../api/context.ts';
import { csrfTokenFor } from '../api/auth/sessions.ts';
import { randomToken, sha256 } from '../api/auth/secrets.ts';
import { insertSession } from '../db/repositories/sessions.ts';
import { startFakeStoreServer, type FakeStoreServer } from '../test/support/fake-store-server.ts';

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

const DEMO_OWNER = 'olivia.owner@acme.test';
const DEMO_ORGANIZATION = 'Acme Ops';
const DEMO_SHOP = 'acme-outdoor-demo.myshopify.com';

/**
 * A demo Shopify store for "Acme Ops", installed the way a merchant installs the app: a fake
 * Shopify on 127.0.0.1 (OAuth authorize and token, the shop's facts, webhook subscriptions, the
 * orders API) and the real install round trip through the API, in a session of the demo owner.
 * The actor registers the webhooks, and the fake Shopify then delivers realistic ones, signed with
 * the app's secret, every few seconds (new orders with line items, payments and cancellations of
 * earlier ones, stock levels going down, carts), so the dashboard moves. Nothing leaves the
 * machine. Null when there is no demo organization or no Shopify app configured.
 */
export async function startDemoStore(options: { ctx: AppContext; apiUrl: string; everyMs?: number; log?: (message: string) => void }): Promise<DemoStore | null> {
  const { ctx } = options;
  const { SHOPIFY_API_KEY: clientId, SHOPIFY_API_SECRET: clientSecret } = ctx.config;
  const owner = await ctx.db('organizations')
    .join('memberships', 'memberships.organization_id', 'organizations.id')
    .join('users', 'users.id', 'memberships.user_id')
    .where({ 'organizations.name': DEMO_ORGANIZATION, 'users.email': DEMO_OWNER, 'memberships.role': 'owner' })
    .first('organizations.id as organizationId', 'users.id as userId');
  if (!owner || !clientId || !clientSecret) return null;
  const fake = await startFakeStoreServer({ shopifyApp: { shop: DEMO_SHOP, clientId, clientSecret, shopFacts: { name: 'Acme Outdoor (demo)', currencyCode: 'EUR', ianaTimezone: 'Europe/Berlin' } } });
  let storeId: number;
  try {
    storeId = await installDemoShop(ctx, options.apiUrl, fake, Number(owner.organizationId), Number(owner.userId));
  } catch (error) {
    await fake.close();
    throw error;
  }
  const app = fake.shopifyApp!;
  const orders: DemoOrder[] = [];
  const stock = new Map(CATALOG.map((item) => [item.inventoryItemId, randomInt(12, 40)]));

  async function deliver(topic: string, payload: unknown): Promise<void> {
    // The actor registers the webhooks just after the install: until then Shopify would send nothing.
    if (!app.subscriptions.some((s) => s.topic === topic.toUpperCase().replace('/', '_'))) return;
    // To the path the actor registered, on this API (under test the worker's public URL is a placeholder).
    const { url, headers, body } = app.delivery(topic, payload);
    const res = await fetch(`${options.apiUrl}${new URL(url).pathname}`, { method: 'POST', headers, body });
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

  // Shopify sends products/update as products change; the demo names its catalog once, when it can.
  let productsNamed = false;
  async function nameProducts(): Promise<void> {
    if (productsNamed || !app.subscriptions.some((s) => s.topic === 'PRODUCTS_UPDATE')) return;
    productsNamed = true;
    for (const item of CATALOG) await deliver('products/update', { id: item.productId, title: item.title, variants: [{ id: item.productId * 10, title: 'Default Title', sku: item.sku, inventory_item_id: item.inventoryItemId }] });
  }

  async function tick(): Promise<void> {
    await nameProducts();
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
      await fake.close();
    },
  };
}

/**
 * The install as the demo owner's browser would make it: a session, the install route, Shopify's
 * authorize page (which the fake approves at once), the callback. A restart installs again, which
 * renews the token of the store already there. The owner's alert threshold suits the demo's pace:
 * it sells about ten orders a minute averaging ~€250, so €600 is about one in fifty.
 */
async function installDemoShop(ctx: AppContext, apiUrl: string, fake: FakeStoreServer, organizationId: number, userId: number): Promise<number> {
  const sessionId = randomToken(32);
  await insertSession(ctx.db, { idHash: sha256(sessionId), userId, expiresAt: new Date(Date.now() + 10 * 60_000), userAgent: 'pulseboard demo store' });
  const cookie = `pb_session=${sessionId}`;
  const hop = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { redirect: 'manual', headers });
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`demo store install: ${new URL(url).pathname} answered ${res.status}`);
    return location;
  };
  const install = `${apiUrl}/api/v1/orgs/${organizationId}/stores/shopify/install?${new URLSearchParams({ shop: DEMO_SHOP, apiBaseUrl: fake.baseUrl })}`;
  const callback = await hop(await hop(install, { cookie }), {});
  const storePage = await hop(new URL(new URL(callback).pathname + new URL(callback).search, apiUrl).href, { cookie });
  const storeId = Number(/\/stores\/(\d+)$/.exec(storePage)?.[1]);
  const res = await fetch(`${apiUrl}/api/v1/orgs/${organizationId}/stores/${storeId}`, {
    method: 'PATCH',
    headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': await csrfTokenFor(ctx, sessionId) },
    body: JSON.stringify({ highValueThresholdMinor: 60_000 }),
  });
  if (!res.ok) throw new Error(`demo store settings answered ${res.status}`);
  return storeId;
}
