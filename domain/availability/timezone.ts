import { IANAZone } from 'luxon';
import { z } from 'zod';

/** An IANA zone name as luxon knows it (providers' and jobs' timezones); offsets like "+02:00" are not zones. */
export const timezoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'expected an IANA timezone such as Europe/Berlin' });

/** The IANA regions of real places; legacy names (EST, US/Eastern, GB, Etc/GMT+5) live outside them. */
const CANONICAL_ZONE = /^(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)(?:\/[A-Z][A-Za-z0-9_+-]*)+$/;

/**
 * A place's zone as a person picks it: "Region/City" spelled as IANA spells it, or UTC. Luxon
 * accepts "est" or "europe/berlin" too (case-insensitively, and legacy abbreviations), which
 * would be shown back to customers as the provider typed them and, for EST, without DST.
 */
export function isCanonicalTimezone(zone: string): boolean {
  return zone === 'UTC' || (CANONICAL_ZONE.test(zone) && IANAZone.isValidZone(zone));
}

export const canonicalTimezoneSchema = z.string().refine(isCanonicalTimezone, { message: 'pick a timezone by its place, such as Europe/Berlin or Asia/Tokyo' });
