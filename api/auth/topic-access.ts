import type { AppContext } from '../context.ts';
import { mayViewTopic, parseTopic, type Topic } from '../../domain/policies/topics.ts';
import { organizationIdsOf } from '../../db/repositories/memberships.ts';
import { boardWatchers } from '../../db/repositories/board-members.ts';
import type { Principal } from './principal.ts';

/** Whether the principal may subscribe to a realtime topic: gathers the facts, the policy decides. */
export async function canSubscribe(ctx: AppContext, principal: Principal, topic: string): Promise<boolean> {
  const parsed = parseTopic(topic);
  if (!parsed) return false;
  const organizationIds = principal.kind === 'api_key' ? [principal.organizationId] : await organizationIdsOf(ctx.db, principal.user.id);
  return mayViewTopic(
    {
      userId: principal.kind === 'user' ? principal.user.id : null,
      organizationIds,
      owningOrganizationId: await owningOrganization(ctx, parsed),
      participantIds: await participants(ctx, parsed),
      isAdmin: principal.kind === 'user' && principal.user.role === 'admin',
    },
    parsed,
  );
}

/**
 * The organization owning the topic's record. Stores belong to organizations; the stores table
 * comes with the store-ingestion work, so until it exists no store topic can be watched.
 */
async function owningOrganization(ctx: AppContext, topic: Topic): Promise<number | null> {
  if (topic.kind !== 'store') return null;
  if (!(await ctx.db.schema.hasTable('stores'))) return null;
  const row = await ctx.db('stores').where({ id: topic.id }).first('organization_id');
  return (row?.organization_id as number | undefined) ?? null;
}

/** A booking's customer and provider; a board's owner and those who see all of it (see boardWatchers). */
async function participants(ctx: AppContext, topic: Topic): Promise<number[]> {
  if (topic.kind === 'booking') {
    const row = await ctx.db('bookings').where({ id: topic.id }).first('customer_id', 'provider_id');
    return row ? [row.customer_id, row.provider_id] : [];
  }
  if (topic.kind === 'board') {
    const row = await ctx.db('boards as b').join('projects as p', 'p.id', 'b.project_id').where('b.id', topic.id).first('p.owner_id', 'b.provider_id');
    return row ? [row.owner_id, row.provider_id, ...(await boardWatchers(ctx.db, topic.id))].filter((id): id is number => id !== null) : [];
  }
  return [];
}
