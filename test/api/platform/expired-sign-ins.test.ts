import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { startApi } from '../../../api/server.ts';
import { insertSession } from '../../../db/repositories/sessions.ts';
import { insertRefreshToken } from '../../../db/repositories/refresh-tokens.ts';
import { testContext, testDb } from '../../support/app.ts';
import { createUser } from './helpers.ts';
import { eventuallyPasses } from '../../support/eventually.ts';

/** Expired sessions and refresh tokens do not pile up: a starting API deletes them (and then hourly), leaving live ones. */
describe('expired sign-ins', () => {
  it('are deleted when the API starts; live sessions and refresh tokens stay', async () => {
    const user = await createUser('customer', 'expiring');
    const hour = 3_600_000;
    const hash = () => randomUUID();
    const [expiredSession, liveSession, expiredToken, liveToken] = [hash(), hash(), hash(), hash()];
    await insertSession(testDb(), { idHash: expiredSession, userId: user.id, expiresAt: new Date(Date.now() - hour) });
    await insertSession(testDb(), { idHash: liveSession, userId: user.id, expiresAt: new Date(Date.now() + hour) });
    await insertRefreshToken(testDb(), { familyId: randomUUID(), userId: user.id, tokenHash: expiredToken, expiresAt: new Date(Date.now() - hour) });
    await insertRefreshToken(testDb(), { familyId: randomUUID(), userId: user.id, tokenHash: liveToken, expiresAt: new Date(Date.now() + hour) });

    // The cleanup's warnings, had it failed (the test logger is otherwise silent): a failure then says why.
    const warnings: unknown[] = [];
    const api = await startApi(testContext({ log: pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) }) }), 0, '127.0.0.1');
    try {
      await eventuallyPasses(async () => expect(await testDb()('sessions').where({ user_id: user.id }).pluck('id_hash'), `warnings: ${JSON.stringify(warnings)}`).to.deep.equal([liveSession]));
      expect(await testDb()('refresh_tokens').where({ user_id: user.id }).pluck('token_hash')).to.deep.equal([liveToken]);
      expect(warnings).to.deep.equal([]);
    } finally {
      await api.close();
    }
  });
});
