/**
 * Gapped positions: a card's place is a double between its neighbours', so a move writes one row.
 * Halving the gap leaves about forty moves into the same spot before doubles run out; well
 * before that the column is marked crowded and rebalanced apart from the move.
 */
/** Below this distance between neighbours the column is renumbered in the background. */
export const CROWDED_GAP = 1e-6;

export interface Placement {
  position: number;
  /** The neighbours are so close that the column should be rebalanced soon. */
  crowded: boolean;
}

/** A position strictly between `prev` and `next` (either may be absent: top or bottom), or null when none is left. */
export function positionBetween(prev: number | null, next: number | null, gap: number): Placement | null {
  if (prev === null && next === null) return { position: gap, crowded: false };
  if (prev === null) return { position: next! - gap, crowded: false };
  if (next === null) return { position: prev + gap, crowded: false };
  const position = prev + (next - prev) / 2;
  if (!(position > prev && position < next)) return null;
  return { position, crowded: next - prev < CROWDED_GAP };
}
