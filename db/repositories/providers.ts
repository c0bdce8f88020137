import type { Db } from '../connection.ts';
import type { ProviderProfileInput } from '../../domain/catalog/provider-profile.ts';

export interface ProviderProfile {
  id: number;
  name: string;
  enabled: boolean;
  timezone: string;
  bio: string;
  responseSlaMinutes: number;
  ratingSum: number;
  ratingCount: number;
}

/** A provider's profile with their name; undefined for anyone without one. */
export async function findProviderProfile(db: Db, userId: number): Promise<ProviderProfile | undefined> {
  const row = await db('provider_profiles as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where('p.user_id', userId)
    .first('p.user_id as id', 'u.name', 'u.disabled_at', 'p.timezone', 'p.bio', 'p.response_sla_minutes', 'p.rating_sum', 'p.rating_count');
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    enabled: row.disabled_at === null,
    timezone: row.timezone,
    bio: row.bio,
    responseSlaMinutes: row.response_sla_minutes,
    ratingSum: row.rating_sum,
    ratingCount: row.rating_count,
  };
}

export async function upsertProviderProfile(db: Db, userId: number, profile: ProviderProfileInput): Promise<void> {
  if (profile.name !== undefined) await db('users').where({ id: userId }).update({ name: profile.name, updated_at: db.fn.now() });
  await db('provider_profiles')
    .insert({ user_id: userId, timezone: profile.timezone, bio: profile.bio, response_sla_minutes: profile.responseSlaMinutes })
    .onConflict('user_id')
    .merge(['timezone', 'bio', 'response_sla_minutes']);
}

/**
 * A customer (or a provider without a profile) becomes a provider with this profile, in one
 * transaction: nobody is ever a provider whose availability has nowhere to hang.
 */
export async function becomeProvider(db: Db, userId: number, profile: ProviderProfileInput): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ role: 'provider', updated_at: trx.fn.now() });
    await upsertProviderProfile(trx, userId, profile);
  });
}

/** Which of these ids belong to providers with a profile (calendar events for others are ignored). */
export async function existingProviderIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const rows: { user_id: number }[] = await db('provider_profiles').whereIn('user_id', [...new Set(ids)]).select('user_id');
  return new Set(rows.map((r) => r.user_id));
}
