import type { Db } from '../connection.ts';
import type { InvitableRole } from '../../domain/identity/roles.ts';

export interface InvitationRow {
  id: number;
  organization_id: number;
  email: string;
  role: InvitableRole;
  invited_by: number | null;
  expires_at: Date;
  accepted_at: Date | null;
  created_at: Date;
}

export async function insertInvitation(
  db: Db,
  invitation: { organizationId: number; email: string; role: InvitableRole; tokenHash: string; invitedBy: number; expiresAt: Date },
): Promise<InvitationRow> {
  const [row]: InvitationRow[] = await db('invitations')
    .insert({
      organization_id: invitation.organizationId,
      email: invitation.email,
      role: invitation.role,
      token_hash: invitation.tokenHash,
      invited_by: invitation.invitedBy,
      expires_at: invitation.expiresAt,
    })
    .returning('*');
  return row;
}

export async function listPendingInvitations(db: Db, organizationId: number): Promise<InvitationRow[]> {
  return db<InvitationRow>('invitations')
    .where({ organization_id: organizationId })
    .whereNull('accepted_at')
    .where('expires_at', '>', db.fn.now())
    .orderBy('id');
}

export async function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<(InvitationRow & { organization_name: string }) | undefined> {
  return db('invitations')
    .join('organizations', 'organizations.id', 'invitations.organization_id')
    .where('invitations.token_hash', tokenHash)
    .first('invitations.*', 'organizations.name as organization_name');
}

/** True when the invitation was deleted; scoped by organization so an id from elsewhere deletes nothing. */
export async function deleteInvitation(db: Db, organizationId: number, id: number): Promise<boolean> {
  return (await db('invitations').where({ organization_id: organizationId, id }).whereNull('accepted_at').delete()) > 0;
}

/** Spends the invitation; false when someone else spent it first or it expired meanwhile (single use). */
export async function markInvitationAccepted(db: Db, id: number, userId: number): Promise<boolean> {
  const updated = await db('invitations')
    .where({ id })
    .whereNull('accepted_at')
    .where('expires_at', '>', db.fn.now())
    .update({ accepted_at: db.fn.now(), accepted_by: userId });
  return updated > 0;
}
