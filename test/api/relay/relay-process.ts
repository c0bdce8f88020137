import { startRelayServer, testAccess } from './support.ts';

/** Another API process for the presence tests, to be killed without a chance to say goodbye. */
const api = await startRelayServer(testAccess, { presenceTtlMs: Number(process.env.PRESENCE_TTL_MS) });
process.stdout.write(`${api.url}\n`);
