/**
 * The one rule for text coming in: no NUL and no C0 control character but tab, line feed and
 * carriage return (multi-line text from any OS keeps its line ends), and no half of a surrogate
 * pair. PostgreSQL cannot store a NUL in text or jsonb, nor a lone surrogate in jsonb (a change's
 * realtime announcement), and the other controls have no business in names, titles or queries.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface ControlCharacterFinding {
  /** Where it is, dotted (`headers.X-Trace`, `items.2.title`); an object key is named by its own path. */
  path: string;
  /** The offending character as U+XXXX, for the message. */
  codePoint: string;
}

/** Where a value sits: its key and its parent's place, so no path is built until one is reported. */
interface Place {
  key: string;
  parent: Place | null;
}

/** The first string (value or object key) in `value` that breaks the rule, or null. Walks without recursion, so any depth is safe. */
export function findControlCharacter(value: unknown, root: string[] = []): ControlCharacterFinding | null {
  const rootPlace = root.reduce<Place | null>((parent, key) => ({ key, parent }), null);
  const pending: Array<{ value: unknown; place: Place | null }> = [{ value, place: rootPlace }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      const found = FORBIDDEN.exec(next.value);
      if (found) return { path: pathOf(next.place), codePoint: codePointOf(found[0]) };
    } else if (next.value && typeof next.value === 'object') {
      for (const [key, child] of Object.entries(next.value)) {
        const place = { key, parent: next.place };
        const found = FORBIDDEN.exec(key);
        if (found) return { path: pathOf(place), codePoint: codePointOf(found[0]) };
        pending.push({ value: child, place });
      }
    }
  }
  return null;
}

function pathOf(place: Place | null): string {
  const keys: string[] = [];
  for (let at = place; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

function codePointOf(character: string): string {
  return `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
