/**
 * Strict parsing of textual IP addresses into bytes, so that ranges can be compared bit by bit.
 * Anything unusual (leading zeros, which some parsers read as octal; zone ids; short IPv4 forms)
 * is not parsed: callers treat an address they cannot read as forbidden.
 */

export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** 16 bytes, from any textual IPv6 form: `::` compression and a trailing dotted IPv4 included. */
export function parseIPv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];

  const words: number[] = [];
  const all = [...head, ...tail];
  for (const [i, group] of all.entries()) {
    if (i === all.length - 1 && group.includes('.')) {
      const v4 = parseIPv4(group);
      if (!v4) return null;
      words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
      words.push(parseInt(group, 16));
    } else {
      return null;
    }
  }
  const missing = 8 - words.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const headWords = words.slice(0, head.length);
  const full = halves.length === 2 ? [...headWords, ...Array(missing).fill(0), ...words.slice(head.length)] : words;
  return full.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Whether `bytes` start with the first `bits` bits of `prefix`. */
export function inPrefix(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i / 8] & mask) !== (prefix[i / 8] & mask)) return false;
  }
  return true;
}
