import { performance } from 'node:perf_hooks';
import type { Db } from '../db/connection.ts';
import { containsPattern } from '../db/like-pattern.ts';
import { searchServices } from '../db/repositories/services.ts';
import { searchWordsOf } from '../domain/catalog/search-words.ts';
import { withBenchDatabase } from './support/postgres.ts';
import { isMain, percentile, printResult, type BenchResult } from './result.ts';

/**
 * Service search over 10,000 services of 200 providers (among 5,000 users) in 24 categories:
 * `searchServices` (word prefixes, typos by pg_trgm, category and provider names, all indexed),
 * beside a plain ILIKE over the same fields. Both answer a page of 20 and the total, as the API
 * does. Latency over rounds of the same queries; and how many of the misspelt ones find anything.
 */
const SERVICES = 10_000;
const PROVIDERS = 200;
const USERS = 5_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const QUERIES = ['paint', 'plumb', 'plumbing', 'painter', 'kitchen tiles', 'boiler', 'garden hedge'];
/** Each a letter away from a word the data has: ILIKE finds none of them. */
const MISSPELT = ['paintng', 'plumbng', 'kitchn', 'gardn hedge', 'boilr'];

const TRADES = [
  { category: 'Plumbing', worker: 'Plumber', nouns: ['boiler', 'tap', 'drain', 'pipe', 'radiator', 'shower'] },
  { category: 'Painting', worker: 'Painter', nouns: ['wall', 'ceiling', 'door', 'fence', 'facade', 'window frame'] },
  { category: 'Gardening', worker: 'Gardener', nouns: ['hedge', 'lawn', 'tree', 'flower bed', 'pond', 'patio'] },
  { category: 'Tiling', worker: 'Tiler', nouns: ['kitchen tiles', 'bathroom tiles', 'floor', 'splashback', 'grout', 'terrace'] },
];
const VERBS = ['repair', 'service', 'check', 'refresh', 'install', 'cleaning', 'inspection', 'replacement'];
const PLACES = ['kitchen', 'bathroom', 'garden', 'hallway', 'office', 'attic', 'cellar', 'balcony'];
const FIRST_NAMES = ['Paul', 'Priya', 'Ana', 'Tom', 'Lena', 'Omar', 'Yuki', 'Sam', 'Ines', 'Jonas'];

/** A fixed pseudo-random sequence, so every run searches the same data. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

async function seed(db: Db): Promise<void> {
  const random = sequence(18);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const [home] = await db('service_categories').insert({ name: 'Home', slug: 'home' }).returning('id');
  const categories: number[][] = [];
  for (const [t, trade] of TRADES.entries()) {
    const [parent] = await db('service_categories').insert({ name: trade.category, slug: `t${t}`, parent_id: home.id }).returning('id');
    const children = await db('service_categories')
      .insert(PLACES.slice(0, 5).map((place, i) => ({ name: `${place} ${trade.category.toLowerCase()}`, slug: `t${t}-${i}`, parent_id: parent.id })))
      .returning('id');
    categories.push([parent.id, ...children.map((c: { id: number }) => c.id)]);
  }
  const users = Array.from({ length: USERS }, (_, i) => {
    const provider = i < PROVIDERS;
    const name = provider ? `${pick(FIRST_NAMES)} ${TRADES[i % TRADES.length].worker}` : `${pick(FIRST_NAMES)} Customer${i}`;
    return { email: `user${i}@bench.test`, name, role: provider ? 'provider' : 'customer', password_hash: 'x' };
  });
  const ids: number[] = [];
  for (let i = 0; i < users.length; i += 1000) ids.push(...(await db('users').insert(users.slice(i, i + 1000)).returning('id')).map((u: { id: number }) => u.id));
  const providers = ids.slice(0, PROVIDERS);
  await db('provider_profiles').insert(providers.map((id) => ({ user_id: id, timezone: 'Europe/Berlin' })));
  const services = Array.from({ length: SERVICES }, (_, i) => {
    const p = i % PROVIDERS;
    const trade = TRADES[p % TRADES.length];
    const noun = pick(trade.nouns);
    return {
      provider_id: providers[p],
      category_id: pick(categories[p % TRADES.length]),
      title: `${noun[0].toUpperCase()}${noun.slice(1)} ${pick(VERBS)}`,
      description: `${pick(VERBS)} of the ${noun} in your ${pick(PLACES)}, materials included, ${i}`,
      duration_minutes: 60,
      price_kind: 'fixed',
      price_minor: 1000 + (i % 50) * 100,
      currency: 'EUR',
    };
  });
  for (let i = 0; i < services.length; i += 1000) await db('services').insert(services.slice(i, i + 1000));
  await db.raw('vacuum analyze'); // as autovacuum would: GIN indexes take fresh rows into a pending list first
}

/** The plain baseline: every word somewhere in the title, description, category or provider name, by ILIKE. */
async function ilikeSearch(db: Db, q: string): Promise<{ total: number }> {
  const filtered = db('services as s')
    .join('users as u', 'u.id', 's.provider_id')
    .leftJoin('service_categories as c', 'c.id', 's.category_id')
    .where('s.active', true)
    .whereNull('u.disabled_at')
    .modify((query) => {
      for (const word of searchWordsOf(q)) {
        const like = containsPattern(word);
        query.where((w) => w.whereILike('s.title', like).orWhereILike('s.description', like).orWhereILike('c.name', like).orWhereILike('u.name', like));
      }
    });
  const [{ count }] = await db.from(filtered.clone().as('m')).count<{ count: string }[]>({ count: '*' });
  await filtered.select('s.*', 'u.name as provider_name').orderBy('s.id', 'desc').limit(20);
  return { total: Number(count) };
}

interface Figures {
  p50Ms: number;
  p99Ms: number;
  misspeltFound: number;
  [key: string]: number;
}

async function measure(search: (q: string) => Promise<{ total: number }>): Promise<Figures> {
  for (const q of QUERIES) await search(q); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of [...QUERIES, ...MISSPELT]) {
      const at = performance.now();
      await search(q);
      samples.push(performance.now() - at);
    }
  }
  let misspeltFound = 0;
  for (const q of MISSPELT) if ((await search(q)).total > 0) misspeltFound++;
  const sorted = samples.sort((a, b) => a - b);
  const round2 = (n: number) => Number(n.toFixed(2));
  return { p50Ms: round2(percentile(sorted, 50)), p99Ms: round2(percentile(sorted, 99)), misspeltFound };
}

export default async function run(): Promise<BenchResult> {
  return withBenchDatabase('service_search', 2, async (db) => {
    await seed(db);
    const baseline = await measure((q) => ilikeSearch(db, q));
    const figures = await measure((q) => searchServices(db, { q, page: 1, pageSize: 20 }));
    return {
      name: 'service-search',
      figures,
      baseline,
      goal: { misspeltFound: `= ${MISSPELT.length} (every misspelt query finds something)`, p99Ms: '<= 2 x the ILIKE baseline p99' },
      met: figures.misspeltFound === MISSPELT.length && figures.p99Ms <= 2 * baseline.p99Ms,
    };
  });
}

if (isMain(import.meta.url)) printResult(await run());
