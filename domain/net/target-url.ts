import { z } from 'zod';
import { checkUrlForm } from './outbound-guard.ts';

/**
 * A URL that requests will be sent to (a job's target, a notification webhook): it parses, it is
 * http or https, it carries no credentials and names no port of another protocol. Where it points
 * depends on the deployment (loopback is allowed in tests), so the API checks that separately.
 */
export const targetUrlSchema = z
  .string()
  .max(2048)
  .superRefine((text, ctx) => {
    const form = checkUrlForm(text);
    if (!form.ok) ctx.addIssue({ code: 'custom', message: form.reason });
  });
