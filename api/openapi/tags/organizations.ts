import { changeMemberRoleSchema, createInvitationSchema, createOrganizationSchema, updateOrganizationSchema } from '../../../domain/identity/organizations.ts';
import { arrayOf, integerId, isoDateTime, nullable, object } from '../json-schema.ts';
import { created, noContent, ok, V1, type TagSpec } from '../operation.ts';

const role = { type: 'string', enum: ['owner', 'admin', 'member'] };
const organization = object({ id: integerId, name: { type: 'string' }, plan: { type: 'string' }, role: nullable(role) });
const member = object({ userId: integerId, email: { type: 'string' }, name: { type: 'string' }, role, joinedAt: isoDateTime });
const invitation = object({ id: integerId, email: { type: 'string' }, role, expiresAt: isoDateTime, createdAt: isoDateTime });
const token = { token: { type: 'string', description: 'The secret from the invitation email link' } };

export const organizationsTag: TagSpec = {
  name: 'organizations',
  description: 'Organizations, their members and invitations by email link.',
  operations: [
    { method: 'get', path: `${V1}/orgs`, summary: "The caller's organizations", auth: 'user', success: ok('Organizations with the caller\'s role', arrayOf(object({ id: integerId, name: { type: 'string' }, role }))) },
    { method: 'post', path: `${V1}/orgs`, summary: 'Create an organization; the caller becomes its owner', auth: 'user', body: createOrganizationSchema, success: created('The organization', object({ id: integerId, name: { type: 'string' }, role })) },
    { method: 'get', path: `${V1}/orgs/:orgId`, summary: 'One organization (also for its own API key, with role null)', auth: 'member', success: ok('The organization', organization) },
    { method: 'patch', path: `${V1}/orgs/:orgId`, summary: 'Rename an organization (owner, admin)', auth: 'user', body: updateOrganizationSchema, success: ok('The organization', organization) },
    { method: 'get', path: `${V1}/orgs/:orgId/members`, summary: 'Members of the organization', auth: 'user', success: ok('Members', arrayOf(member)) },
    { method: 'patch', path: `${V1}/orgs/:orgId/members/:userId`, summary: "Change a member's role", auth: 'user', body: changeMemberRoleSchema, success: ok('The member', member), problems: [409] },
    { method: 'delete', path: `${V1}/orgs/:orgId/members/:userId`, summary: 'Remove a member, or leave (yourself)', auth: 'user', success: noContent('Removed'), problems: [409] },
    { method: 'get', path: `${V1}/orgs/:orgId/invitations`, summary: 'Pending invitations (owner, admin)', auth: 'user', success: ok('Invitations', arrayOf(invitation)) },
    { method: 'post', path: `${V1}/orgs/:orgId/invitations`, summary: 'Invite someone by email (valid 7 days)', auth: 'user', body: createInvitationSchema, success: created('The invitation; the email is sent', invitation), problems: [409, 503] },
    { method: 'delete', path: `${V1}/orgs/:orgId/invitations/:id`, summary: 'Revoke an invitation', auth: 'user', success: noContent('Revoked') },
    {
      method: 'get',
      path: `${V1}/invitations/:token`,
      summary: 'What an invitation link invites to (the token is the secret)',
      auth: 'public',
      params: token,
      success: ok('The invitation', object({ organization: object({ name: { type: 'string' } }), email: { type: 'string' }, role, expiresAt: isoDateTime })),
      problems: [404, 410],
    },
    { method: 'post', path: `${V1}/invitations/:token/accept`, summary: 'Accept an invitation, signed in as the invited email', auth: 'user', params: token, success: ok('Joined', object({ organizationId: integerId })), problems: [404, 410] },
  ],
};
