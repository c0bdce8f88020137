import { expect } from 'chai';
import { DateTime } from 'luxon';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../workers/worker.ts';
import { installQuietRuntime } from '../../runtime/temporal-runtime.ts';
import { createActivities } from '../../activities/index.ts';
import { outboxMailer } from '../../runtime/mail/outbox-mailer.ts';
import { insertStore } from '../../db/repositories/stores.ts';
import { insertUser, type UserRow } from '../../db/repositories/users.ts';
import { insertOrganizationWithOwner } from '../../db/repositories/organizations.ts';
import { insertMembership } from '../../db/repositories/memberships.ts';
import { saveAlertSettings } from '../../db/repositories/alert-settings.ts';
import { ALERT_DIGEST_WORKFLOW_ID, alertDigestStatusQuery } from '../../workflows/alert-digest/definitions.ts';
import { ensureAlertDigestActor } from '../../api/alert-digest-actor.ts';
import type { alertDigestWorkflow } from '../../workflows/alert-digest/workflow.ts';
import { testDb } from '../support/app.ts';
import { listOutbox } from '../../db/repositories/dev-outbox.ts';
import { outboxQuerySchema } from '../../domain/mail/outbox-query.ts';
import type { Db } from '../../db/connection.ts';
import { timeSkippingEnv } from '../support/temporal.ts';

const TASK_QUEUE = 'alert-digest-test';
const ZONE = 'Asia/Kolkata'; // +05:30: its hours start on the half hour in UTC

/**
 * The digest actor with its real activity on the test database: each person's digest comes at
 * their local hour with the alerts of their last day they chose to read there, grouped by store;
 * nobody with nothing to read gets a mail. The workflow's clock is skipped ahead; the alerts fire
 * on the wall clock, inside the day the digest covers.
 */
describe('alertDigestWorkflow (time skipping, real activity)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let db: Db;
  let people = 0;

  before(async () => {
    db = testDb();
    installQuietRuntime();
    env = await timeSkippingEnv();
  });
  after(async () => {
    await env?.teardown();
  });

  async function person(): Promise<UserRow> {
    people += 1;
    return (await insertUser(db, { email: `digest-${people}-${Date.now()}@example.test`, name: `Person ${people}`, role: 'customer', passwordHash: 'x' }))!;
  }

  async function storeOf(owner: UserRow, name: string): Promise<{ orgId: number; storeId: number }> {
    const org = await insertOrganizationWithOwner(db, `${name} org`, owner.id);
    const store = await insertStore(db, {
      organization_id: org.id,
      platform: 'shopify',
      name,
      domain: `${name.toLowerCase().replace(/\W/g, '-')}-${Date.now()}.myshopify.com`,
      api_base_url: 'http://127.0.0.1:10',
      credentials_sealed: 'v1.none',
      webhook_secret_sealed: 'v1.none',
      timezone: 'UTC',
      currency: 'EUR',
      high_value_threshold_minor: 1_000_000,
      low_stock_threshold: 5,
      revenue_drop_percent: 50,
    });
    return { orgId: org.id, storeId: store!.id };
  }

  const alert = (storeId: number, kind: string, title: string, firedAt = new Date()) =>
    db('store_alerts').insert({ store_id: storeId, kind, condition_key: `${kind}-${title}`, title, body: `${title}, in detail.`, data: '{}', fired_at: firedAt, emailed_at: firedAt });
  const mailsTo = (user: UserRow) => db('dev_outbox').where({ to_address: user.email }).orderBy('id');

  it('mails each person at their local hour the last day\'s alerts they chose for the digest, by store, and nothing when there are none', async () => {
    // Two hours ahead, on the hour in Kolkata: the actor ticks its way there.
    const digestAt = DateTime.now().setZone(ZONE).plus({ hours: 2 }).startOf('hour');
    const hour = digestAt.hour;
    const [merchant, clerk, quiet] = [await person(), await person(), await person()];
    const camping = await storeOf(merchant, 'Camping Shop');
    const tea = await storeOf(merchant, 'Tea Shop');
    await insertMembership(db, camping.orgId, clerk.id, 'member');
    await storeOf(quiet, 'Quiet Shop'); // no alerts
    for (const someone of [merchant, clerk, quiet]) await saveAlertSettings(db, someone.id, { digest: { hour, timezone: ZONE } });
    // The clerk wants no low-stock mail at all, and revenue drops at once (so not in the digest either).
    await saveAlertSettings(db, clerk.id, { organizations: [{ organizationId: camping.orgId, deliveries: { low_stock: 'none', revenue_drop: 'immediate' } }] });

    await alert(camping.storeId, 'low_stock', 'Low stock: Titanium mug at Camping Shop');
    await alert(camping.storeId, 'revenue_drop', 'Revenue drop at Camping Shop'); // the owner has it at once
    await alert(tea.storeId, 'low_stock', 'Low stock: Sencha at Tea Shop');
    await alert(tea.storeId, 'low_stock', 'Low stock: Matcha at Tea Shop', new Date(Date.now() - 3 * 86_400_000)); // days ago

    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflows(),
      activities: createActivities({ db, mailer: outboxMailer(db), publicUrl: 'http://127.0.0.1:3000', linkKey: new Uint8Array(32) }),
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof alertDigestWorkflow>('alertDigestWorkflow', { workflowId: `alert-digest-test-${Date.now()}`, taskQueue: TASK_QUEUE, args: [{}] });
      try {
        const untilDigest = digestAt.toMillis() - Date.now();
        await env.sleep(untilDigest - 20 * 60_000);
        expect(await mailsTo(merchant), 'nothing before the hour').to.have.length(0);
        await env.sleep(25 * 60_000);
        const status = await handle.query(alertDigestStatusQuery);
        expect(Date.parse(status.lastTickAt)).to.be.at.least(digestAt.toMillis());
        await env.sleep(60 * 60_000); // the rest of the hour and beyond: still one digest
      } finally {
        await handle.terminate('test over');
      }
    });

    const [digest, ...more] = await mailsTo(merchant);
    expect(more, 'one digest a day').to.have.length(0);
    // The dev outbox files it with the store mails, where its filter finds it.
    const filed = await listOutbox(db, outboxQuerySchema.parse({ to: merchant.email, kind: 'store' }));
    expect(filed.items.map((m) => m.subject)).to.deep.equal([digest.subject]);
    expect(digest.subject).to.equal(`Pulseboard digest for ${digestAt.toISODate()}: 2 store alerts`);
    const text: string = digest.text_body;
    expect(text).to.contain(`times in ${ZONE}`);
    expect(text.indexOf('Camping Shop (1 alert)')).to.be.greaterThan(-1).and.lessThan(text.indexOf('Tea Shop (1 alert)'));
    expect(text).to.contain(`http://127.0.0.1:3000/stores/${camping.storeId}`).and.to.contain(`http://127.0.0.1:3000/stores/${tea.storeId}`);
    expect(text).to.contain('Low stock: Titanium mug at Camping Shop').and.to.contain('Low stock: Sencha at Tea Shop');
    expect(text).not.to.contain('Revenue drop').and.not.to.contain('Matcha');

    expect(await mailsTo(clerk), 'low stock off, revenue drop at once: an empty digest is not sent').to.have.length(0);
    expect(await mailsTo(quiet), 'no alerts, no digest').to.have.length(0);
  });

  it('is started once, whichever API process sweeps first; the others find it running', async () => {
    const temporal = { client: env.client, taskQueue: `${TASK_QUEUE}-ensure` };
    expect(await ensureAlertDigestActor(temporal)).to.equal(true);
    expect(await ensureAlertDigestActor(temporal)).to.equal(false);
    const handle = env.client.workflow.getHandle(ALERT_DIGEST_WORKFLOW_ID);
    expect((await handle.describe()).status.name).to.equal('RUNNING');
    await handle.terminate('test over');
  });
});
