import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { Mailer } from '../../runtime/mail/mailer.ts';
import { invitationEmail } from '../mail/invitation-email.ts';
import { publicBaseUrl } from '../http/public-url.ts';
import { parseNumericId } from '../../domain/identity/ids.ts';
import { createInvitationSchema } from '../../domain/identity/organizations.ts';
import { ORG_PERMISSIONS } from '../../domain/policies/organizations.ts';
import { orgTeamTopic } from '../../domain/policies/topics.ts';
import { publish } from '../../db/realtime/publish.ts';
import { findOrganization } from '../../db/repositories/organizations.ts';
import { insertMembership, listMembers } from '../../db/repositories/memberships.ts';
import {
  deleteInvitation,
  findInvitationByTokenHash,
  insertInvitation,
  listPendingInvitations,
  markInvitationAccepted,
  type InvitationRow,
} from '../../db/repositories/invitations.ts';
import { audit } from '../auth/audit.ts';
import { currentUser, orgAccessOf, requireOrgRole } from '../auth/middleware.ts';
import { randomToken, sha256 } from '../auth/secrets.ts';
import { conflict, forbidden, notFound, Problem, serviceUnavailable } from '../http/problem.ts';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function invitationView(row: InvitationRow) {
  return { id: row.id, email: row.email, role: row.role, expiresAt: row.expires_at.toISOString(), createdAt: row.created_at.toISOString() };
}

const gone = () => new Problem(410, 'invitation-gone', 'Invitation no longer valid', 'This invitation has expired or was already used. Ask for a new one.');

/** Invitations by email link: made by owners and admins, valid 7 days, spent by the first accept. */
export function invitationRoutes(ctx: AppContext, mailer: Mailer): Router {
  const router = Router();
  const baseUrl = publicBaseUrl(ctx.config);

  router.get('/orgs/:orgId/invitations', requireOrgRole(ctx, ORG_PERMISSIONS.manage_invitations), async (req, res) => {
    res.json((await listPendingInvitations(ctx.db, orgAccessOf(req).organizationId)).map(invitationView));
  });

  router.post('/orgs/:orgId/invitations', requireOrgRole(ctx, ORG_PERMISSIONS.manage_invitations), async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const inviter = currentUser(req);
    const input = createInvitationSchema.parse(req.body);
    const members = await listMembers(ctx.db, organizationId);
    if (members.some((m) => m.email === input.email)) throw conflict('This person is already a member.', { code: 'already-member' });
    const token = randomToken(32);
    const invitation = await insertInvitation(ctx.db, {
      organizationId,
      email: input.email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: inviter.id,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    const org = (await findOrganization(ctx.db, organizationId))!;
    const email = invitationEmail({
      to: input.email,
      organizationName: org.name,
      inviterName: inviter.name,
      role: input.role,
      link: `${baseUrl}/invitations/${token}`,
      expiresAt: invitation.expires_at,
      invitationId: invitation.id,
    });
    try {
      await mailer.send(email);
    } catch (error) {
      // An invitation nobody received would sit in the pending list until it expired: withdraw it, and say so.
      await deleteInvitation(ctx.db, organizationId, invitation.id);
      ctx.log.warn({ err: (error as Error).message, invitationId: invitation.id }, 'invitation email could not be sent');
      throw serviceUnavailable('The invitation email could not be sent, so no invitation was made. Try again in a moment.');
    }
    // Announced once the mail went out: a withdrawn invitation never shows on anyone's Team page.
    await publish(ctx.db, orgTeamTopic(organizationId), 'invitation.created', { invitationId: invitation.id });
    await audit(ctx, req, { action: 'invitation.created', targetType: 'invitation', targetId: invitation.id, organizationId, details: { email: input.email, role: input.role } });
    res.status(201).json(invitationView(invitation));
  });

  router.delete('/orgs/:orgId/invitations/:id', requireOrgRole(ctx, ORG_PERMISSIONS.manage_invitations), async (req, res) => {
    const { organizationId } = orgAccessOf(req);
    const id = parseNumericId(req.params.id);
    if (id === null) throw notFound('No such invitation.');
    await ctx.db.transaction(async (trx) => {
      if (!(await deleteInvitation(trx, organizationId, id))) throw notFound('No such invitation.');
      await publish(trx, orgTeamTopic(organizationId), 'invitation.revoked', { invitationId: id });
    });
    await audit(ctx, req, { action: 'invitation.revoked', targetType: 'invitation', targetId: id, organizationId });
    res.status(204).end();
  });

  /** Anyone holding the link may read what it invites to: the token itself is the secret. */
  router.get('/invitations/:token', async (req, res) => {
    const invitation = await findInvitationByTokenHash(ctx.db, sha256(req.params.token));
    if (!invitation) throw notFound('No such invitation.');
    if (invitation.accepted_at || invitation.expires_at <= new Date()) throw gone();
    res.json({ organization: { name: invitation.organization_name }, email: invitation.email, role: invitation.role, expiresAt: invitation.expires_at.toISOString() });
  });

  router.post('/invitations/:token/accept', async (req, res) => {
    const user = currentUser(req);
    const invitation = await findInvitationByTokenHash(ctx.db, sha256(req.params.token));
    if (!invitation) throw notFound('No such invitation.');
    if (invitation.accepted_at || invitation.expires_at <= new Date()) throw gone();
    if (invitation.email !== user.email) throw forbidden(`This invitation was sent to another email address. Sign in as that address to accept it.`);
    await ctx.db.transaction(async (trx) => {
      if (!(await markInvitationAccepted(trx, invitation.id, user.id))) throw gone();
      await insertMembership(trx, invitation.organization_id, user.id, invitation.role);
      await publish(trx, orgTeamTopic(invitation.organization_id), 'invitation.accepted', { invitationId: invitation.id, userId: user.id });
    });
    await audit(ctx, req, { action: 'invitation.accepted', targetType: 'invitation', targetId: invitation.id, organizationId: invitation.organization_id, details: { role: invitation.role } });
    res.json({ organizationId: invitation.organization_id });
  });

  return router;
}
