import 'reflect-metadata';
import { loadConfig } from './infrastructure/config/config.js';
import { OutboxStore } from './infrastructure/messaging/outbox/outbox-store.js';
import { describeDatabase } from './infrastructure/persistence/mikro-orm/database-admin.js';
import { Database } from './infrastructure/persistence/mikro-orm/database.js';
import { StartupError } from './infrastructure/startup-error.js';

// The operator's side of the outbox, on the database the service uses (same DB_DRIVER, DATABASE_URL…):
//   npm run outbox -- status                 how many rows wait, are on their way, or FAILED
//   npm run outbox -- resubmit [eventId…]    FAILED rows (all, or these) become PENDING, with fresh attempts
const USAGE = 'usage: npm run outbox -- status | resubmit [eventId…]';

async function main(command: string | undefined, eventIds: string[]): Promise<void> {
  if (command !== 'status' && command !== 'resubmit') throw new StartupError(USAGE);
  const config = loadConfig(process.env);
  // With no DB_DRIVER this reads the SQLite file, even while the service runs on MySQL: say which one.
  console.log(`database: ${describeDatabase(config.database)}`);
  const { database } = await Database.open(config.database, { applyMigrations: false });
  const outbox = new OutboxStore(database);
  try {
    if (command === 'resubmit') {
      const resubmitted = await outbox.resubmitFailed(new Date(), eventIds.length > 0 ? eventIds : undefined);
      console.log(
        `${resubmitted} FAILED row(s) are PENDING again; a running relay sends them within a poll.`,
      );
    }
    const { pending, sending, failed, oldestUnsentAt } = await outbox.backlog();
    console.log(`outbox: ${pending} pending, ${sending} sending, ${failed} failed`);
    if (oldestUnsentAt) console.log(`oldest unsent row written at ${oldestUnsentAt.toISOString()}`);
  } finally {
    await database.close();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
