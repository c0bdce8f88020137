import type { Db } from '../connection.ts';
import type { OrgRole } from '../../domain/identity/roles.ts';

export interface MemberRow {
  user_id: number;
  email: string;
  name: string;
  role: OrgRole;
  created_at: Date;
}

export async function findMembershipRole(db: Db, organizationId: number, userId: number): Promise<OrgRole | null> {
  const row = await db('memberships').where({ organization_id: organizationId, user_id: userId }).first('role');
  return (row?.role as OrgRole | undefined) ?? null;
}

export async function organizationIdsOf(db: Db, userId: number): Promise<number[]> {
  return db('memberships').where({ user_id: userId }).orderBy('organization_id').pluck('organization_id');
}

export async function listMembers(db: Db, organizationId: number): Promise<MemberRow[]> {
  return db('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .where('memberships.organization_id', organizationId)
    .orderBy('memberships.created_at')
    .select('memberships.user_id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at');
}

export async function countOwners(db: Db, organizationId: number): Promise<number> {
  const [{ count }] = await db('memberships').where({ organization_id: organizationId, role: 'owner' }).count<{ count: string }[]>({ count: '*' });
  return Number(count);
}

/** False when the person was already a member (an accepted invitation then changes nothing). */
export async function insertMembership(db: Db, organizationId: number, userId: number, role: OrgRole): Promise<boolean> {
  const rows = await db('memberships').insert({ organization_id: organizationId, user_id: userId, role }).onConflict(['organization_id', 'user_id']).ignore().returning('user_id');
  return rows.length > 0;
}

export async function updateMembershipRole(db: Db, organizationId: number, userId: number, role: OrgRole): Promise<void> {
  await db('memberships').where({ organization_id: organizationId, user_id: userId }).update({ role });
}

export async function deleteMembership(db: Db, organizationId: number, userId: number): Promise<void> {
  await db('memberships').where({ organization_id: organizationId, user_id: userId }).delete();
}
