import { Router } from 'express';
import type { AppContext } from '../../context.ts';
import { findBookingView } from '../../../db/repositories/bookings.ts';
import { bookingLinkPayloadSchema, respondActionSchema, type BookingLinkPayload } from '../../../domain/bookings/respond-link.ts';
import { transitionBodySchema } from '../../../domain/bookings/requests.ts';
import { verifyLinkToken } from '../../../domain/signing/link-token.ts';
import { appKeys } from '../../auth/app-keys.ts';
import { notFound, Problem } from '../../http/problem.ts';
import { answerReschedule } from './reschedule.ts';
import { requestTransition } from './transition.ts';

const gone = (detail: string) => new Problem(410, 'link-gone', 'This link no longer works', detail);

async function readToken(ctx: AppContext, token: string): Promise<{ payload: BookingLinkPayload; expiresAt: Date }> {
  const secret = Buffer.from((await appKeys(ctx)).bookingLink);
  const check = verifyLinkToken(token, { secret, now: new Date(), payloadSchema: bookingLinkPayloadSchema });
  if (!check.ok) throw gone(check.reason === 'expired' ? 'The time to answer by email has passed; open the booking in the app.' : 'This link is not valid.');
  return check;
}

async function isSpent(ctx: AppContext, tokenId: string): Promise<boolean> {
  return (await ctx.db('spent_link_tokens').where({ token_id: tokenId }).first()) !== undefined;
}

/** A provider's link answers their booking request; either side's reschedule link, the time named in it. */
async function answerByLink(ctx: AppContext, payload: BookingLinkPayload, action: 'accept' | 'decline', note?: string): Promise<void> {
  if ('providerId' in payload) {
    await requestTransition(ctx, payload.bookingId, action, { role: 'provider', userId: String(payload.providerId) }, note);
  } else {
    await answerReschedule(ctx, payload.bookingId, action, { actor: { role: payload.party, userId: String(payload.userId) }, note, proposedStart: payload.proposedStart });
  }
}

/**
 * The email links that ask for an answer. Opening one (GET) only shows the booking: mail scanners open links.
 * The POST acts, once: the token's id is spent before the actor is asked, and given back if it refuses.
 */
export function emailLinkRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/booking_links/:token', async (req, res) => {
    const { payload, expiresAt } = await readToken(ctx, req.params.token);
    const booking = await findBookingView(ctx.db, payload.bookingId);
    if (!booking) throw notFound('No such booking.');
    const answers = 'providerId' in payload ? { kind: 'request' as const } : { kind: 'reschedule' as const, proposedStart: payload.proposedStart, party: payload.party };
    res.json({ booking, spent: await isSpent(ctx, payload.tokenId), expiresAt: expiresAt.toISOString(), ...answers });
  });

  router.post('/booking_links/:token/:action', async (req, res) => {
    const action = respondActionSchema.parse(req.params.action);
    const { note } = transitionBodySchema.parse(req.body ?? {});
    const { payload } = await readToken(ctx, req.params.token);
    const claimed = await ctx.db('spent_link_tokens').insert({ token_id: payload.tokenId }).onConflict('token_id').ignore().returning('token_id');
    if (!claimed.length) throw gone('This link has been used already.');
    try {
      await answerByLink(ctx, payload, action, note);
    } catch (error) {
      await ctx.db('spent_link_tokens').where({ token_id: payload.tokenId }).delete();
      throw error;
    }
    res.json(await findBookingView(ctx.db, payload.bookingId));
  });

  return router;
}
