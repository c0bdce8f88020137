import type { AppContext } from '../../context.ts';
import { lockColumn, renumberColumn } from '../../../db/repositories/tasks.ts';
import { publish } from '../../../db/realtime/publish.ts';

const running = new Set<number>();

/**
 * Renumbers a crowded column in a transaction of its own, after the move that crowded it has
 * committed: moves stay one-row writes, and the rare renumbering never holds a move up. Viewers
 * get the new positions (the order is unchanged) so their later moves sort the same way.
 */
export function scheduleRebalance(ctx: AppContext, columnId: number): void {
  if (running.has(columnId)) return;
  running.add(columnId);
  setImmediate(async () => {
    try {
      await ctx.db.transaction(async (trx) => {
        const column = await lockColumn(trx, columnId);
        if (!column) return;
        const positions = await renumberColumn(trx, columnId);
        await publish(trx, `board:${column.boardId}`, 'column.rebalanced', { boardId: column.boardId, columnId, positions });
      });
    } catch (error) {
      ctx.log.warn({ err: error, columnId }, 'column rebalance failed; the next crowded move retries it');
    } finally {
      running.delete(columnId);
    }
  });
}
