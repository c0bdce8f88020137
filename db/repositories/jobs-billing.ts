import type { Db } from '../connection.ts';

export interface SubscriptionChange {
  organizationId: number;
  subscriptionId: string;
  status: string;
  plan: string;
  /** The provider's own time for this state: events can arrive out of order. */
  providerUpdatedAt: Date;
}

/**
 * Records the subscription's state and sets the organization's plan, unless a newer state of the
 * same subscription was applied already (then it answers false and changes nothing).
 */
export async function applySubscription(db: Db, change: SubscriptionChange): Promise<boolean> {
  return db.transaction(async (trx) => {
    const rows = await trx('billing_subscriptions')
      .insert({ subscription_id: change.subscriptionId, organization_id: change.organizationId, status: change.status, plan: change.plan, provider_updated_at: change.providerUpdatedAt })
      .onConflict('subscription_id')
      .merge(['organization_id', 'status', 'plan', 'provider_updated_at', 'updated_at'])
      .where('billing_subscriptions.provider_updated_at', '<=', change.providerUpdatedAt)
      .returning('subscription_id');
    if (rows.length === 0) return false;
    await trx('organizations').where({ id: change.organizationId }).update({ plan: change.plan, updated_at: trx.fn.now() });
    return true;
  });
}
