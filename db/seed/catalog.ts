import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { WeeklyTemplate } from '../../domain/availability/schemas.ts';
import type { NewService } from '../../domain/catalog/services.ts';
import { findUserByEmail } from '../repositories/users.ts';
import { upsertProviderProfile } from '../repositories/providers.ts';
import { readWeeklyTemplate, replaceWeeklyTemplate } from '../repositories/availability.ts';
import { insertService } from '../repositories/services.ts';

const WEEKDAYS_9_TO_5: WeeklyTemplate = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, [{ start: '09:00', end: '17:00' }]]));

const CATEGORIES = [
  { slug: 'home-repairs', name: 'Home repairs', parent: null },
  { slug: 'plumbing', name: 'Plumbing', parent: 'home-repairs' },
  { slug: 'painting', name: 'Painting', parent: 'home-repairs' },
] as const;

type DemoService = Omit<NewService, 'categoryId' | 'providerId'> & { category: 'plumbing' | 'painting' };

const service = (fields: Pick<DemoService, 'title' | 'description' | 'category' | 'durationMinutes' | 'price'> & Partial<DemoService>): DemoService => ({
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  minNoticeMinutes: 120,
  maxDaysAhead: 60,
  autoAccept: false,
  ...fields,
});

/** The two demo providers of db/seed/demo.ts: one in Berlin, one in New York, so timezones show. */
const PROVIDERS = [
  {
    email: 'priya.provider@pulseboard.test',
    profile: { timezone: 'Europe/Berlin', bio: 'Licensed plumber: leaks, boilers and bathrooms.', responseSlaMinutes: 240 },
    template: WEEKDAYS_9_TO_5,
    services: [
      service({ title: 'Leak repair', description: 'Find and fix a dripping tap or a leaking pipe.', category: 'plumbing', durationMinutes: 60, price: { kind: 'fixed', amountMinor: 8900, currency: 'EUR' } }),
      service({ title: 'Boiler service', description: 'Annual boiler check and cleaning.', category: 'plumbing', durationMinutes: 90, bufferBeforeMinutes: 15, price: { kind: 'fixed', amountMinor: 12900, currency: 'EUR' } }),
    ],
  },
  {
    email: 'paul.provider@pulseboard.test',
    profile: { timezone: 'America/New_York', bio: 'Interior painter, tidy and quick.', responseSlaMinutes: 24 * 60 },
    template: { ...WEEKDAYS_9_TO_5, saturday: [{ start: '10:00', end: '14:00' }] },
    services: [
      service({ title: 'Room painting', description: 'Walls and ceiling of one room, two coats.', category: 'painting', durationMinutes: 240, price: { kind: 'hourly', amountMinor: 4500, currency: 'USD' } }),
      service({ title: 'Colour consultation', description: 'Pick a palette for your home.', category: 'painting', durationMinutes: 30, bufferAfterMinutes: 0, price: { kind: 'fixed', amountMinor: 3000, currency: 'USD' } }),
    ],
  },
];

/**
 * Profiles, weekly hours and services for the demo providers. Idempotent and gentle: run after
 * seedDemoData, it fills in only what a provider does not have yet, so demo edits survive a
 * restart; providers who are missing (demo people not seeded) are skipped.
 */
export async function seedCatalog(db: Db): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(hashtext('pulseboard:seed-catalog'))");
    const categoryIds = await ensureCategories(trx);
    for (const provider of PROVIDERS) {
      const user = await findUserByEmail(trx, provider.email);
      if (!user) continue;
      if (!(await trx('provider_profiles').where({ user_id: user.id }).first('user_id'))) await upsertProviderProfile(trx, user.id, provider.profile);
      if (Object.keys(await readWeeklyTemplate(trx, user.id)).length === 0) await replaceWeeklyTemplate(trx, user.id, provider.template);
      if (await trx('services').where({ provider_id: user.id }).first('id')) continue;
      for (const { category, ...fields } of provider.services) await insertService(trx, user.id, { ...fields, categoryId: categoryIds.get(category)! });
    }
  });
}

/** Categories by slug, made when missing (an admin may have made them, or renamed them: kept as they are). */
async function ensureCategories(trx: Knex.Transaction): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const category of CATEGORIES) {
    await trx('service_categories')
      .insert({ slug: category.slug, name: category.name, parent_id: category.parent ? ids.get(category.parent) : null })
      .onConflict('slug')
      .ignore();
    ids.set(category.slug, (await trx('service_categories').where({ slug: category.slug }).first('id')).id);
  }
  return ids;
}
