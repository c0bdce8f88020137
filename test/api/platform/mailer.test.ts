import { expect } from 'chai';
import { createMailer } from '../../../runtime/mail/mailer.ts';
import { testContext, testDb } from '../../support/app.ts';

describe('mailer without SMTP_URL', () => {
  it('keeps mail in the dev outbox, once per idempotency key', async () => {
    const ctx = testContext();
    const mailer = createMailer({ ...ctx.config, SMTP_URL: undefined }, testDb());
    const key = `test-${Date.now()}`;
    const message = { to: 'someone@example.test', subject: 'Hello', text: 'Body', idempotencyKey: key };
    await mailer.send(message);
    await mailer.send(message);
    const rows = await testDb()('dev_outbox').where({ idempotency_key: key });
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ to_address: 'someone@example.test', subject: 'Hello', text_body: 'Body' });
  });
});
