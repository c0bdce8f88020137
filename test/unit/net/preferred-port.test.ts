import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'mocha';
import { freePort } from '../../../db/embedded-postgres.ts';
import { preferredOrFreePort } from '../../../scripts/ports.ts';

describe('npm start ports: the usual one when free (7233 and 8233 for Temporal)', () => {
  it('keeps the preferred port when nothing listens there', async () => {
    const port = await freePort();
    expect(await preferredOrFreePort(port)).to.equal(port);
  });

  it('falls back to another free port when the preferred one is taken', async () => {
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const chosen = await preferredOrFreePort(port);
      expect(chosen).to.not.equal(port);
      expect(chosen).to.be.greaterThan(0);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
