import { config } from '../runtime/config.ts';
import { createDb } from './connection.ts';
import { openDatabaseServer } from './database.ts';
import { migrateDownAll, migrateDownOne, migrateLatest, migrationStatus } from './migrate.ts';

/** `npm run migrate [up|down|down-all|status]` against DATABASE_URL or the embedded server in .data/. */
async function main(command = 'up'): Promise<void> {
  const settings = config();
  const server = await openDatabaseServer({ databaseUrl: settings.DATABASE_URL, dataDir: settings.dataDir });
  const db = createDb(server.url, 2);
  try {
    if (command === 'up') print('applied', await migrateLatest(db));
    else if (command === 'down') print('reverted', await migrateDownOne(db));
    else if (command === 'down-all') print('reverted', await migrateDownAll(db));
    else if (command === 'status') {
      const status = await migrationStatus(db);
      print('applied', status.applied);
      print('pending', status.pending);
    } else throw new Error(`unknown command "${command}": use up, down, down-all or status`);
  } finally {
    await db.destroy();
    await server.stop();
  }
}

function print(label: string, names: string[]): void {
  console.log(`${label}: ${names.length ? names.join(', ') : 'none'}`);
}

main(process.argv[2]).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
