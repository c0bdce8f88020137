import type { Db } from '../connection.ts';
import type { OrgRole } from '../../domain/identity/roles.ts';

export interface OrganizationRow {
  id: number;
  name: string;
  plan: string;
  created_at: Date;
}

export interface OrganizationOfUser {
  id: number;
  name: string;
  role: OrgRole;
}

/** Creates the organization and makes its creator the owner, in one transaction. */
export async function insertOrganizationWithOwner(db: Db, name: string, ownerId: number): Promise<OrganizationRow> {
  return db.transaction(async (trx) => {
    const [org] = await trx<OrganizationRow>('organizations').insert({ name }).returning('*');
    await trx('memberships').insert({ organization_id: org.id, user_id: ownerId, role: 'owner' });
    return org;
  });
}

export async function findOrganization(db: Db, id: number): Promise<OrganizationRow | undefined> {
  return db<OrganizationRow>('organizations').where({ id }).first();
}

export async function renameOrganization(db: Db, id: number, name: string): Promise<OrganizationRow | undefined> {
  const [row]: OrganizationRow[] = await db('organizations').where({ id }).update({ name, updated_at: db.fn.now() }).returning('*');
  return row;
}

export async function listOrganizationsOf(db: Db, userId: number): Promise<OrganizationOfUser[]> {
  return db('organizations')
    .join('memberships', 'memberships.organization_id', 'organizations.id')
    .where('memberships.user_id', userId)
    .orderBy('organizations.id')
    .select('organizations.id', 'organizations.name', 'memberships.role');
}

/** Serializes membership changes of one organization, so two owners leaving at once cannot leave none. */
export async function lockOrganization(trx: Db, id: number): Promise<void> {
  await trx('organizations').where({ id }).forUpdate().first('id');
}
