import { IANAZone } from 'luxon';
import { z } from 'zod';

/** An IANA zone name as luxon knows it (providers' and jobs' timezones); offsets like "+02:00" are not zones. */
export const timezoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'expected an IANA timezone such as Europe/Berlin' });
