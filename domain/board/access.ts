/**
 * Who may see and change a board. Pure: the caller gathers the facts. A board belongs to its
 * project's owner and, for a provider's board, to that provider; admins may act on every board.
 * Anyone else is told the board does not exist (404), as with bookings.
 */
export interface BoardOwners {
  ownerId: number;
  providerId: number | null;
}

export interface BoardViewer {
  id: number;
  role: 'admin' | 'provider' | 'customer';
}

export function mayEditBoard(viewer: BoardViewer, board: BoardOwners): boolean {
  return viewer.role === 'admin' || viewer.id === board.ownerId || viewer.id === board.providerId;
}

/** Who asks the booking actor when a booking's card changes column: its provider or an admin; nobody else may. */
export function bookingActorFor(viewer: BoardViewer, board: BoardOwners): { role: 'provider' | 'admin'; userId: string } | null {
  if (viewer.id === board.providerId) return { role: 'provider', userId: String(viewer.id) };
  if (viewer.role === 'admin') return { role: 'admin', userId: String(viewer.id) };
  return null;
}
