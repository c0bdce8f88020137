import { CronExpressionParser, type CronExpression } from 'cron-parser';

/**
 * Why an expression is refused, or null when it is one we run: 5 fields (minute first) or 6
 * (second first). Aliases such as @daily are refused so that every job reads the same way, and
 * `H` because it is random unless seeded: a workflow replaying the schedule must get the same
 * fire times every time.
 */
export function cronExpressionError(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6) return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${fields.length}`;
  if (/h/i.test(expression)) return 'H (hashed random values) is not supported';
  try {
    CronExpressionParser.parse(expression);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Iterates an expression's fire times in `timezone`, from `currentDate` (exclusive) onwards or backwards. */
export function cronIterator(expression: string, timezone: string, currentDate: Date): CronExpression {
  return CronExpressionParser.parse(expression, { tz: timezone, currentDate });
}
