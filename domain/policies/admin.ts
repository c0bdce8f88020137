import type { UserRole } from '../identity/roles.ts';
import { ALLOW, deny, type Verdict } from './verdict.ts';

export interface SiteUserFacts {
  id: number;
  role: UserRole;
  disabled: boolean;
}

/** Site administration (users, roles, categories, the audit log) is for enabled admins only. */
export function mayAdminister(user: SiteUserFacts): boolean {
  return user.role === 'admin' && !user.disabled;
}

/** An admin cannot disable or demote themselves, so the site never loses its last admin by accident. */
export function mayChangeUser(actor: SiteUserFacts, targetId: number, change: { role?: UserRole; disabled?: boolean }): Verdict {
  if (!mayAdminister(actor)) return deny('forbidden', 'Only an admin may change users.');
  const demotesSelf = change.role !== undefined && change.role !== 'admin';
  if (actor.id === targetId && (change.disabled === true || demotesSelf)) {
    return deny('self', 'You cannot disable yourself or take away your own admin role.');
  }
  return ALLOW;
}
