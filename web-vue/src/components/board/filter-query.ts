import type { LocationQuery } from 'vue-router';
import type { BoardFilters, DueFilter } from '../../stores/board.store';

/** A board's filters in its URL (?q=&label=&assignee=&due=), so a filtered board can be shared as a link. */
const DUE: readonly DueFilter[] = ['overdue', 'week', 'none'];

const one = (value: LocationQuery[string]) => (Array.isArray(value) ? value[0] : value) ?? null;

export function filtersFromQuery(query: LocationQuery): BoardFilters {
  const assignee = Number(one(query.assignee));
  const due = one(query.due) as DueFilter | null;
  return {
    text: one(query.q) ?? '',
    label: one(query.label),
    assigneeId: Number.isInteger(assignee) && assignee > 0 ? assignee : null,
    due: due && DUE.includes(due) ? due : null,
  };
}

/** The query with the filters set (and those not set left out), other parameters kept. */
export function queryWithFilters(query: LocationQuery, filters: BoardFilters): LocationQuery {
  const { q: _q, label: _label, assignee: _assignee, due: _due, ...rest } = query;
  return {
    ...rest,
    ...(filters.text.trim() ? { q: filters.text } : {}),
    ...(filters.label ? { label: filters.label } : {}),
    ...(filters.assigneeId !== null ? { assignee: String(filters.assigneeId) } : {}),
    ...(filters.due ? { due: filters.due } : {}),
  };
}
