/**
 * The people an @mention in a comment names. Names may hold spaces ("@Priya Shah"), so the
 * text is matched against the names of the people who may be mentioned, not split at spaces;
 * a longer name wins over a shorter one it starts with ("@Ann Lee" is not "@Ann").
 */
export function mentionedPeople<P extends { id: number; name: string }>(body: string, people: readonly P[]): P[] {
  const text = body.toLowerCase();
  const found = new Map<number, P>();
  const taken: Array<[number, number]> = [];
  for (const person of [...people].sort((a, b) => b.name.length - a.name.length)) {
    const needle = `@${person.name.toLowerCase()}`;
    if (person.name.trim() === '') continue;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      const bounded = end === text.length || !/[\p{L}\p{N}_]/u.test(text[end]);
      const overlaps = taken.some(([from, to]) => at < to && end > from);
      if (bounded && !overlaps) {
        found.set(person.id, person);
        taken.push([at, end]);
      }
    }
  }
  return [...found.values()];
}
