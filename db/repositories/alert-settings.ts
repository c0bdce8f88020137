import type { Knex } from 'knex';
import type { Db } from '../connection.ts';
import type { OrgRole } from '../../domain/identity/roles.ts';
import { STORE_ALERT_KINDS, type StoreAlertKind } from '../../domain/stores/alert-rules.ts';
import type { DigestEntry } from '../../domain/stores/alert-digest.ts';
import {
  DEFAULT_DIGEST_HOUR,
  DEFAULT_DIGEST_TIMEZONE,
  deliveryOf,
  type AlertDelivery,
  type AlertSettingsInput,
  type AlertSettingsView,
  type DeliveryChoices,
} from '../../domain/stores/alert-delivery.ts';

type Conn = Db | Knex.Transaction;

export interface AlertRecipient {
  id: number;
  email: string;
}

/** Each member's role and the choices they made in the organization, by user id. */
async function membersWithChoices(db: Conn, organizationIds: number[], userId?: number): Promise<Array<AlertRecipient & { organizationId: number; role: OrgRole; chosen: DeliveryChoices }>> {
  const members: Array<{ id: number; email: string; organization_id: number; role: OrgRole }> = await db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .whereIn('m.organization_id', organizationIds)
    .modify((q) => userId !== undefined && q.where('m.user_id', userId))
    .orderBy(['m.organization_id', 'u.id'])
    .select('u.id', 'u.email', 'm.organization_id', 'm.role');
  const choices = await db('alert_email_choices')
    .whereIn('organization_id', organizationIds)
    .modify((q) => userId !== undefined && q.where('user_id', userId))
    .select('user_id', 'organization_id', 'kind', 'delivery');
  const chosen = new Map<string, DeliveryChoices>();
  for (const c of choices) {
    const key = `${c.organization_id}:${c.user_id}`;
    chosen.set(key, { ...chosen.get(key), [c.kind]: c.delivery });
  }
  return members.map((m) => ({ id: Number(m.id), email: m.email, organizationId: Number(m.organization_id), role: m.role, chosen: chosen.get(`${m.organization_id}:${m.id}`) ?? {} }));
}

/** Who in the organization wants this kind of alert mailed at once. */
export async function immediateAlertRecipients(db: Conn, organizationId: number, kind: StoreAlertKind): Promise<AlertRecipient[]> {
  const members = await membersWithChoices(db, [organizationId]);
  return members.filter((m) => deliveryOf(m.role, kind, m.chosen) === 'immediate').map(({ id, email }) => ({ id, email }));
}

export async function alertSettingsOf(db: Conn, userId: number): Promise<AlertSettingsView> {
  const digest = await db('alert_digest_settings').where({ user_id: userId }).first('hour', 'timezone');
  const orgs: Array<{ id: number; name: string }> = await db('organizations as o').join('memberships as m', 'm.organization_id', 'o.id').where('m.user_id', userId).orderBy('o.id').select('o.id', 'o.name');
  const members = await membersWithChoices(db, orgs.map((o) => Number(o.id)), userId);
  return {
    digest: digest ? { hour: digest.hour, timezone: digest.timezone, chosen: true } : { hour: DEFAULT_DIGEST_HOUR, timezone: DEFAULT_DIGEST_TIMEZONE, chosen: false },
    organizations: members.map((m) => ({
      organizationId: m.organizationId,
      name: orgs.find((o) => Number(o.id) === m.organizationId)!.name,
      role: m.role,
      deliveries: Object.fromEntries(STORE_ALERT_KINDS.map((kind) => [kind, deliveryOf(m.role, kind, m.chosen)])) as Record<StoreAlertKind, AlertDelivery>,
    })),
  };
}

/** Organizations among `organizationIds` the person does not belong to. */
export async function foreignOrganizations(db: Conn, userId: number, organizationIds: number[]): Promise<number[]> {
  if (!organizationIds.length) return [];
  const mine = new Set((await db('memberships').where({ user_id: userId }).whereIn('organization_id', organizationIds).pluck('organization_id')).map(Number));
  return organizationIds.filter((id) => !mine.has(id));
}

/** Writes what the person chose; kinds not given keep their choice (or default). The caller checked the memberships. */
export async function saveAlertSettings(db: Db, userId: number, input: AlertSettingsInput): Promise<void> {
  await db.transaction(async (trx) => {
    if (input.digest) {
      await trx('alert_digest_settings')
        .insert({ user_id: userId, hour: input.digest.hour, timezone: input.digest.timezone })
        .onConflict('user_id')
        .merge({ hour: input.digest.hour, timezone: input.digest.timezone, updated_at: trx.fn.now() });
    }
    const rows = (input.organizations ?? []).flatMap((org) => Object.entries(org.deliveries).map(([kind, delivery]) => ({ user_id: userId, organization_id: org.organizationId, kind, delivery })));
    if (rows.length) await trx('alert_email_choices').insert(rows).onConflict(['user_id', 'organization_id', 'kind']).merge(['delivery', 'updated_at']);
  });
}

/** Everyone who may get a digest (a member of an organization with a store), with their hour and zone. */
export async function digestCandidates(db: Conn): Promise<Array<AlertRecipient & { hour: number; timezone: string }>> {
  const rows = await db('users as u')
    .leftJoin('alert_digest_settings as d', 'd.user_id', 'u.id')
    .whereExists((q) => q.select(db.raw('1')).from('memberships as m').join('stores as s', 's.organization_id', 'm.organization_id').whereRaw('m.user_id = u.id'))
    .orderBy('u.id')
    .select('u.id', 'u.email', 'd.hour', 'd.timezone');
  return rows.map((r) => ({ id: Number(r.id), email: r.email, hour: r.hour ?? DEFAULT_DIGEST_HOUR, timezone: r.timezone ?? DEFAULT_DIGEST_TIMEZONE }));
}

/** The alerts fired in [since, until) in the person's stores whose kind they chose to read in the digest, oldest first. */
export async function digestAlertsFor(db: Conn, userId: number, since: Date, until: Date): Promise<DigestEntry[]> {
  const rows = await db('store_alerts as a')
    .join('stores as s', 's.id', 'a.store_id')
    .join('memberships as m', function () {
      this.on('m.organization_id', 's.organization_id').andOn('m.user_id', db.raw('?', [userId]));
    })
    .where('a.fired_at', '>=', since)
    .where('a.fired_at', '<', until)
    .orderBy(['s.name', 's.id', 'a.id'])
    .select('a.store_id', 's.name as store_name', 's.organization_id', 'a.kind', 'a.title', 'a.body', 'a.fired_at', 'a.cleared_at');
  if (!rows.length) return [];
  const members = await membersWithChoices(db, [...new Set(rows.map((r) => Number(r.organization_id)))], userId);
  const wantsDigest = (r: (typeof rows)[number]) => {
    const me = members.find((m) => m.organizationId === Number(r.organization_id))!;
    return deliveryOf(me.role, r.kind, me.chosen) === 'digest';
  };
  return rows.filter(wantsDigest).map((r) => ({ storeId: Number(r.store_id), storeName: r.store_name, kind: r.kind, title: r.title, body: r.body, firedAt: r.fired_at, clearedAt: r.cleared_at }));
}
