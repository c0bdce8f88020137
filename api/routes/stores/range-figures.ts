import type { Db } from '../../../db/connection.ts';
import type { StoreRow } from '../../../db/repositories/stores.ts';
import { figuresByBucket } from '../../../db/repositories/store-metrics.ts';
import { comparisonOf, rangeFiguresOf, type FigureRangeQuery } from '../../../domain/stores/figure-range.ts';
import type { RangeFigures } from '../../../domain/stores/views.ts';

/** A range of the store's calendar beside its comparison period: two reads of the pre-aggregated figures, side by side. */
export async function rangeFigures(db: Db, store: StoreRow, query: FigureRangeQuery): Promise<RangeFigures> {
  const comparisonRange = comparisonOf(query.range, query.compare);
  const [current, previous] = await Promise.all([
    figuresByBucket(db, store, query.range, query.bucket),
    comparisonRange ? figuresByBucket(db, store, comparisonRange, query.bucket) : null,
  ]);
  return rangeFiguresOf(store, query, current, comparisonRange && previous ? { range: comparisonRange, figures: previous } : null);
}
