import 'reflect-metadata';
import { loadConfig } from './infrastructure/config/config.js';
import { resetDatabase } from './infrastructure/persistence/mikro-orm/database-admin.js';
import { StartupError } from './infrastructure/startup-error.js';

// Starts the database the service uses (same DB_DRIVER, SQLITE_FILE, DATABASE_URL…) over, with the demo data:
//   npm run db:reset              the SQLite file
//   npm run db:reset -- --yes     a MySQL database too (it asks for --yes first)
// Stop the service first: it keeps the database open.
const USAGE = 'usage: npm run db:reset [-- --yes]';

async function main(command: string | undefined, flags: string[]): Promise<void> {
  if (command !== 'reset' || flags.some((flag) => flag !== '--yes')) throw new StartupError(USAGE);
  const config = loadConfig(process.env);
  const report = await resetDatabase(config.database, { confirmed: flags.includes('--yes') });
  console.log(`Reset ${report.database}`);
  console.log(`  dropped its tables, applied ${report.appliedMigrations.length} migrations`);
  console.log(`  seeded the demo data: ${report.seeded}`);
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
