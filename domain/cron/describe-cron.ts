/**
 * Plain-English descriptions of cron expressions for the job form and job pages, e.g.
 * "At 09:00 on Monday through Friday". Common shapes get a sentence; anything else falls back to
 * naming its fields, which is still true, only less pretty. Works on cron-parser's normalised
 * form (6 fields, names turned into numbers, Sunday as 0), so `MON-FRI` and `1-5` read alike.
 */
import { CronExpressionParser } from 'cron-parser';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

const NUMBER = /^\d+$/;
const EVERY_N = /^\*\/(\d+)$/;
const RANGE = /^(\d+)-(\d+)$/;
const LIST = /^\d+(,\d+)+$/;

interface Fields {
  second: string;
  minute: string;
  hour: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
}

/** `expression` must be valid (see cronExpressionError). */
export function describeCron(expression: string): string {
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = CronExpressionParser.parse(expression).stringify(true).split(' ');
  const fields = { second, minute, hour, dayOfMonth, month, dayOfWeek };
  const time = describeTime(fields);
  const days = describeDays(fields);
  const parts = [time.text];
  if (days) parts.push(days);
  else if (time.atFixedTimes) parts.push('every day');
  if (fields.month !== '*') parts.push(`in ${namedValues(fields.month, (m) => MONTH_NAMES[m - 1])}`);
  return parts.join(' ');
}

function describeTime(f: Fields): { text: string; atFixedTimes: boolean } {
  const seconds = listedValues(f.second);
  const minutes = listedValues(f.minute);
  const hours = listedValues(f.hour);

  if (f.minute === '*' && f.hour === '*' && !seconds) return { text: capitalize(everyStep(f.second, 'second', 60)), atFixedTimes: false };
  if (seconds?.length === 1 && minutes && hours && minutes.length * hours.length <= 6) {
    const times = hours.flatMap((h) => minutes.map((m) => clock(h, m, seconds[0])));
    return { text: `At ${joinAnd(times)}`, atFixedTimes: true };
  }
  if (f.second !== '0') return { text: genericTime(f), atFixedTimes: false };

  if (f.hour === '*') {
    if (minutes?.length === 1) return { text: minutes[0] === 0 ? 'Every hour' : `At minute ${minutes[0]} past every hour`, atFixedTimes: false };
    if (minutes) return { text: `At minutes ${joinAnd(minutes.map(String))} past every hour`, atFixedTimes: false };
    return { text: capitalize(everyStep(f.minute, 'minute', 60)), atFixedTimes: false };
  }
  if (minutes?.length === 1 && EVERY_N.test(f.hour)) {
    const hourly = everyStep(f.hour, 'hour', 24);
    return { text: minutes[0] === 0 ? capitalize(hourly) : `At minute ${minutes[0]} past ${hourly}`, atFixedTimes: false };
  }
  const span = hours && isContiguous(hours) ? { first: hours[0], last: hours[hours.length - 1] } : null;
  if (span && minutes?.length === 1) {
    return { text: `Every hour from ${clock(span.first, minutes[0])} through ${clock(span.last, minutes[0])}`, atFixedTimes: false };
  }
  const minuteStep = f.minute === '*' ? 1 : Number(EVERY_N.exec(f.minute)?.[1] ?? NaN);
  if (span && minuteStep) {
    return { text: `${capitalize(everyStep(f.minute, 'minute', 60))} from ${clock(span.first, 0)} through ${clock(span.last, Math.floor(59 / minuteStep) * minuteStep)}`, atFixedTimes: false };
  }
  return { text: genericTime(f), atFixedTimes: false };
}

/**
 * `*` or `*\/n` as "every n minutes"; a step that does not divide the unit's cycle restarts each
 * cycle (`*\/7` fires at :56 then :00), so it is "every 7th minute", not a promise of even gaps.
 */
function everyStep(field: string, unit: string, cycle: number): string {
  const n = field === '*' ? 1 : Number(EVERY_N.exec(field)?.[1]);
  if (n === 1) return `every ${unit}`;
  return cycle % n === 0 ? `every ${n} ${unit}s` : `every ${ordinal(n)} ${unit}`;
}

/** The values of a field written as a number, list, range or stepped range; null for `*` and `*\/n`. */
function listedValues(field: string): number[] | null {
  if (field.startsWith('*')) return null;
  const values: number[] = [];
  for (const part of field.split(',')) {
    const match = /^(\d+)(?:-(\d+)(?:\/(\d+))?)?$/.exec(part);
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let v = first; v <= last; v += Number(match[3] ?? 1)) values.push(v);
  }
  return values;
}

function isContiguous(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v === values[i - 1] + 1);
}

function describeDays(f: Fields): string {
  const dayOfMonth = f.dayOfMonth === '*' ? null : describeDayOfMonth(f.dayOfMonth);
  const dayOfWeek = f.dayOfWeek === '*' ? null : describeDayOfWeek(f.dayOfWeek);
  // Cron runs on either when both are restricted.
  if (dayOfMonth && dayOfWeek) return `${dayOfMonth} or ${dayOfWeek}`;
  return dayOfMonth ?? dayOfWeek ?? '';
}

function describeDayOfMonth(field: string): string {
  if (field === 'L') return 'on the last day of the month';
  if (NUMBER.test(field)) return `on day ${field} of the month`;
  return `on days ${namedValues(field, String)} of the month`;
}

function describeDayOfWeek(field: string): string {
  const last = /^(\d)L$/.exec(field);
  if (last) return `on the last ${WEEKDAY_NAMES[Number(last[1]) % 7]} of the month`;
  const nth = /^(\d)#(\d)$/.exec(field);
  if (nth) return `on the ${ORDINALS[Number(nth[2]) - 1]} ${WEEKDAY_NAMES[Number(nth[1]) % 7]} of the month`;
  return `on ${namedValues(field, (d) => WEEKDAY_NAMES[d % 7])}`;
}

/** "Monday through Friday", "January and July", "1, 10 and 20"; other shapes as written. */
function namedValues(field: string, name: (value: number) => string): string {
  if (NUMBER.test(field)) return name(Number(field));
  const range = RANGE.exec(field);
  if (range) return `${name(Number(range[1]))} through ${name(Number(range[2]))}`;
  if (LIST.test(field)) return joinAnd(field.split(',').map((v) => name(Number(v))));
  return field;
}

function genericTime(f: Fields): string {
  const parts = [f.second !== '0' && `second ${f.second}`, `minute ${f.minute}`, `hour ${f.hour}`].filter(Boolean);
  return `At ${parts.join(', ')}`;
}

function clock(hour: number, minute: number, second = 0): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return second === 0 ? `${pad(hour)}:${pad(minute)}` : `${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

function joinAnd(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
