import type { OrgRole } from '../identity/roles.ts';
import { ALLOW, deny, type Verdict } from './verdict.ts';

/**
 * Who may do what inside an organization. Routes name the roles an action needs (ORG_PERMISSIONS)
 * and ask `orgAccess`. An outsider gets 'not_found', never 'forbidden': the organization does not
 * exist for them, so they cannot even learn which ids are taken.
 */
export const ORG_PERMISSIONS = {
  view: ['owner', 'admin', 'member'],
  list_members: ['owner', 'admin', 'member'],
  update: ['owner', 'admin'],
  change_roles: ['owner', 'admin'],
  manage_invitations: ['owner', 'admin'],
  manage_api_keys: ['owner', 'admin'],
} as const satisfies Record<string, readonly OrgRole[]>;

export type OrgViewer = { kind: 'member'; role: OrgRole } | { kind: 'api_key' } | { kind: 'outsider' };

export type OrgAccessDecision = 'allow' | 'forbidden' | 'not_found';

/** `viewer` is the caller as seen from this organization (an API key only ever sees its own). */
export function orgAccess(viewer: OrgViewer, roles: readonly OrgRole[], apiKeysAllowed: boolean): OrgAccessDecision {
  if (viewer.kind === 'outsider') return 'not_found';
  if (viewer.kind === 'api_key') return apiKeysAllowed ? 'allow' : 'forbidden';
  return roles.includes(viewer.role) ? 'allow' : 'forbidden';
}

/** Roles an actor may hand out or take away: owners any, admins only between admin and member. */
function mayManageRole(actor: OrgRole, role: OrgRole): boolean {
  return actor === 'owner' || (actor === 'admin' && role !== 'owner');
}

export interface MemberChange {
  actorRole: OrgRole;
  targetRole: OrgRole;
  /** Owners in the organization now, the target included when they are one. */
  ownerCount: number;
}

export function mayChangeMemberRole(change: MemberChange, nextRole: OrgRole): Verdict {
  const { actorRole, targetRole, ownerCount } = change;
  if (!mayManageRole(actorRole, targetRole) || !mayManageRole(actorRole, nextRole)) {
    return deny('forbidden', 'Only an owner may change an owner or make someone an owner.');
  }
  if (targetRole === 'owner' && nextRole !== 'owner' && ownerCount <= 1) {
    return deny('last_owner', 'The organization needs an owner: make someone else owner first.');
  }
  return ALLOW;
}

/** Leaving (self) is always allowed but for the last owner; removing others needs a higher hand. */
export function mayRemoveMember(change: MemberChange & { self: boolean }): Verdict {
  const { actorRole, targetRole, ownerCount, self } = change;
  if (!self && (actorRole === 'member' || !mayManageRole(actorRole, targetRole))) {
    return deny('forbidden', 'You may not remove this member.');
  }
  if (targetRole === 'owner' && ownerCount <= 1) {
    return deny('last_owner', 'The last owner cannot leave: make someone else owner first.');
  }
  return ALLOW;
}
