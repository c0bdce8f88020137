import { APP_VERSION } from './version.ts';

/**
 * How a receiver knows a request came from us: the requests a job sends and the failure
 * notifications posted to an organization's webhook carry the same User-Agent and the same
 * signature (domain/signing/job-request-signature.ts, with the organization's signing secret;
 * docs/api-jobs.md shows how to check it).
 */
export const CRON_USER_AGENT = `Pulseboard-Cron/${APP_VERSION}`;
export const SIGNATURE_HEADER = 'x-pulseboard-signature';
