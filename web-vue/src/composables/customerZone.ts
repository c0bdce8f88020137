import { ref } from 'vue';

const STORAGE_KEY = 'pulseboard.timezone';
/** The zones a person can pick, as the picker lists them: luxon would also take "europe/berlin", half-typed. */
const KNOWN_ZONES = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);

function remembered(): string | null {
  try {
    const zone = localStorage.getItem(STORAGE_KEY);
    return zone && KNOWN_ZONES.has(zone) ? zone : null;
  } catch {
    return null; // storage blocked: the browser's zone it is
  }
}

/** The zone a person reads times in: the one they picked on a slot grid (remembered here), else the browser's. */
export const customerZone = ref(remembered() ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

/** Takes `zone` when it is one of the listed zones, and remembers it in this browser; answers whether it did. */
export function pickZone(zone: string): boolean {
  if (!KNOWN_ZONES.has(zone)) return false;
  customerZone.value = zone;
  try {
    localStorage.setItem(STORAGE_KEY, zone);
  } catch {
    // Not remembered, but still used for this visit.
  }
  return true;
}
