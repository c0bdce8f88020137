import type { Knex } from 'knex';

/**
 * Stores connected as a Shopify app: the token comes from the OAuth install (and is forgotten on
 * app/uninstalled), webhooks are signed with the app's client secret (`webhook_signing = 'app'`,
 * no per-store secret), and the subscriptions we registered are remembered for the health card.
 * Install states bind an OAuth round trip to the session that started it.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('stores', (t) => {
    t.text('credentials_sealed').nullable().alter();
    t.text('webhook_secret_sealed').nullable().alter();
    /** 'store': a per-store secret (ours for WooCommerce, the one the Shopify admin shows); 'app': the app's client secret. */
    t.text('webhook_signing').notNullable().defaultTo('store').checkIn(['store', 'app'], 'stores_webhook_signing_check');
    t.timestamp('uninstalled_at', { useTz: true });
    /** The topics registered with the platform, as last checked: `[{ topic, id }]`. */
    t.jsonb('webhook_subscriptions').notNullable().defaultTo('[]');
    t.timestamp('webhooks_checked_at', { useTz: true });
    /** Whether the platform took the store's credentials on the last call that could tell (null: no call yet). */
    t.boolean('token_valid');
    t.timestamp('token_checked_at', { useTz: true });
  });
  await db.schema.createTable('store_install_states', (t) => {
    /** SHA-256 of the OAuth state we sent: the state itself travels in URLs only. */
    t.text('state_hash').primary();
    /** SHA-256 of the session id that started the install: the callback must come back in it. */
    t.text('session_hash').notNullable();
    t.bigInteger('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('shop').notNullable();
    t.text('api_base_url').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('store_install_states');
  await db.schema.alterTable('stores', (t) => {
    t.dropColumn('token_checked_at');
    t.dropColumn('token_valid');
    t.dropColumn('webhooks_checked_at');
    t.dropColumn('webhook_subscriptions');
    t.dropColumn('uninstalled_at');
    t.dropColumn('webhook_signing');
  });
}
