import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { findBookingView } from '../../../db/repositories/bookings.ts';
import { respondActionSchema, respondLinkPayloadSchema, type RespondLinkPayload } from '../../../domain/bookings/respond-link.ts';
import { transitionBodySchema } from '../../../domain/bookings/requests.ts';
import { verifyLinkToken } from '../../../domain/signing/link-token.ts';
import { appKeys } from '../../auth/app-keys.ts';
import { notFound, Problem } from '../../http/problem.ts';
import { requestTransition } from './transition.ts';

const gone = (detail: string) => new Problem(410, 'link-gone', 'This link no longer works', detail);

async function readToken(ctx: AppContext, token: string): Promise<{ payload: RespondLinkPayload; expiresAt: Date }> {
  const secret = Buffer.from((await appKeys(ctx)).bookingLink);
  const check = verifyLinkToken(token, { secret, now: new Date(), payloadSchema: respondLinkPayloadSchema });
  if (!check.ok) throw gone(check.reason === 'expired' ? 'The time to answer by email has passed; open the booking in the app.' : 'This link is not valid.');
  return check;
}

async function isSpent(ctx: AppContext, tokenId: string): Promise<boolean> {
  return (await ctx.db('spent_link_tokens').where({ token_id: tokenId }).first()) !== undefined;
}

/**
 * The provider's email links. Opening one (GET) only shows the booking: mail scanners open links.
 * The POST acts, once: the token's id is spent before the actor is asked, and given back if it refuses.
 */
export function emailLinkRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/booking_links/:token', async (req, res) => {
    const { payload, expiresAt } = await readToken(ctx, req.params.token);
    const booking = await findBookingView(ctx.db, payload.bookingId);
    if (!booking) throw notFound('No such booking.');
    res.json({ booking, spent: await isSpent(ctx, payload.tokenId), expiresAt: expiresAt.toISOString() });
  });

  router.post('/booking_links/:token/:action', async (req, res) => {
    const action = respondActionSchema.parse(req.params.action);
    const { note } = transitionBodySchema.parse(req.body ?? {});
    const { payload } = await readToken(ctx, req.params.token);
    const claimed = await ctx.db('spent_link_tokens').insert({ token_id: payload.tokenId }).onConflict('token_id').ignore().returning('token_id');
    if (!claimed.length) throw gone('This link has been used already.');
    try {
      await requestTransition(ctx, payload.bookingId, action, { role: 'provider', userId: String(payload.providerId) }, note);
    } catch (error) {
      await ctx.db('spent_link_tokens').where({ token_id: payload.tokenId }).delete();
      throw error;
    }
    res.json(await findBookingView(ctx.db, payload.bookingId));
  });

  return router;
}
