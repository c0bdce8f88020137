import type { Db } from '../connection.ts';
import type { OrgRole, UserRole } from '../../domain/identity/roles.ts';
import { hashPassword } from '../../domain/identity/passwords.ts';
import { findUserByEmail, insertUser, type UserRow } from '../repositories/users.ts';
import { insertMembership } from '../repositories/memberships.ts';

export interface DemoLogin {
  label: string;
  email: string;
  password: string;
  role: UserRole;
  organization?: { name: string; role: OrgRole };
}
export type DemoLogins = DemoLogin[];

// Demo data, not secrets: printed by `npm start` so anyone can try each role.
const PASSWORD = 'demo-password-1';
const ORGANIZATION = 'Acme Ops';

const PEOPLE: (Omit<DemoLogin, 'password'> & { name: string })[] = [
  { label: 'admin', email: 'admin@pulseboard.test', name: 'Ada Admin', role: 'admin' },
  { label: 'provider', email: 'priya.provider@pulseboard.test', name: 'Priya Plumber', role: 'provider' },
  { label: 'provider', email: 'paul.provider@pulseboard.test', name: 'Paul Painter', role: 'provider' },
  { label: 'customer', email: 'carla.customer@pulseboard.test', name: 'Carla Customer', role: 'customer' },
  { label: 'customer', email: 'chris.customer@pulseboard.test', name: 'Chris Customer', role: 'customer' },
  { label: 'org owner', email: 'olivia.owner@acme.test', name: 'Olivia Owner', role: 'customer', organization: { name: ORGANIZATION, role: 'owner' } },
  { label: 'org member', email: 'max.member@acme.test', name: 'Max Member', role: 'customer', organization: { name: ORGANIZATION, role: 'member' } },
];

/**
 * The demo people and the "Acme Ops" organization. Idempotent: what exists is kept as it is
 * (a demo password someone changed stays changed); an advisory lock keeps two starting
 * processes from making the organization twice.
 */
export async function seedDemoData(db: Db): Promise<DemoLogins> {
  await db.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(hashtext('pulseboard:seed-demo'))");
    const users = new Map<string, UserRow>();
    for (const person of PEOPLE) users.set(person.email, await ensureUser(trx, person));
    const owner = users.get(PEOPLE.find((p) => p.organization?.role === 'owner')!.email)!;
    const organizationId = await ensureOrganization(trx, owner.id);
    for (const person of PEOPLE) {
      if (person.organization) await insertMembership(trx, organizationId, users.get(person.email)!.id, person.organization.role);
    }
  });
  return PEOPLE.map(({ name: _name, ...login }) => ({ ...login, password: PASSWORD }));
}

async function ensureUser(db: Db, person: { email: string; name: string; role: UserRole }): Promise<UserRow> {
  const existing = await findUserByEmail(db, person.email);
  if (existing) return existing;
  return (await insertUser(db, { ...person, passwordHash: await hashPassword(PASSWORD) }))!;
}

/** The demo organization is the "Acme Ops" its demo owner owns; someone else's "Acme Ops" is not it. */
async function ensureOrganization(db: Db, ownerId: number): Promise<number> {
  const existing = await db('organizations')
    .join('memberships', 'memberships.organization_id', 'organizations.id')
    .where({ 'organizations.name': ORGANIZATION, 'memberships.user_id': ownerId, 'memberships.role': 'owner' })
    .first('organizations.id');
  if (existing) return existing.id;
  const [org] = await db('organizations').insert({ name: ORGANIZATION }).returning('id');
  return org.id;
}
