/**
 * Who may see and change a board. Pure: the caller gathers the facts. A board belongs to its
 * project's owner, for a provider's board to that provider too, and, when an organization owns it,
 * to that organization's members (as editors); admins may act on every board. Others get a role on
 * it as members: viewer (reads), editor (works on everything), technician (on a provider's
 * bookings board: sees the cards assigned to them and moves them through the work columns).
 * Anyone without a role is told the board does not exist (404), as with bookings.
 */
export const BOARD_MEMBER_ROLES = ['viewer', 'editor', 'technician'] as const;
export type BoardMemberRole = (typeof BOARD_MEMBER_ROLES)[number];
export type BoardRole = 'owner' | BoardMemberRole;

export interface BoardOwners {
  ownerId: number;
  providerId: number | null;
}

export interface BoardViewer {
  id: number;
  role: 'admin' | 'provider' | 'customer';
}

/** The owners' own check, needing no membership facts: the common case on every request. */
export function mayEditBoard(viewer: BoardViewer, board: BoardOwners): boolean {
  return viewer.role === 'admin' || viewer.id === board.ownerId || viewer.id === board.providerId;
}

/** The viewer's role on the board, given their membership (`member`) and whether they belong to the organization owning it. */
export function boardRoleOf(viewer: BoardViewer, board: BoardOwners, member: { role: BoardMemberRole | null; inOwningOrganization: boolean }): BoardRole | null {
  if (mayEditBoard(viewer, board)) return 'owner';
  if (member.inOwningOrganization || member.role === 'editor') return 'editor';
  return member.role;
}

/** What a request needs: to read, to work on a card (a technician only on theirs), to change cards and columns, to manage the board. */
export type BoardNeed = 'view' | 'work' | 'edit' | 'manage';

export function allows(role: BoardRole, need: BoardNeed, card?: { assigneeId: number | null }, viewerId?: number): boolean {
  if (role === 'owner') return true;
  if (need === 'manage') return false;
  if (role === 'editor') return true;
  if (role === 'viewer') return need === 'view';
  // A technician: only the cards assigned to them, and on those only work (move, comment, tick), no editing.
  if (need === 'edit') return false;
  return card === undefined ? need === 'view' : card.assigneeId !== null && card.assigneeId === viewerId;
}

/** Who asks the booking actor when a booking's card changes column: its provider or an admin; nobody else may. */
export function bookingActorFor(viewer: BoardViewer, board: BoardOwners): { role: 'provider' | 'admin'; userId: string } | null {
  if (viewer.id === board.providerId) return { role: 'provider', userId: String(viewer.id) };
  if (viewer.role === 'admin') return { role: 'admin', userId: String(viewer.id) };
  return null;
}
