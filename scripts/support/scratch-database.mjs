// A database of its own for one demo, checker, benchmark run or test file, so none of them sees another's
// rows (or a learner's): a scratch SQLite file, or a scratch database on the MySQL server of DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';

// The demos' and the workshop checkers' files; chapter 08 shows the path.
const scratchDir = join(import.meta.dirname, '../../var/demos');

/**
 * The path of the scratch SQLite file `name` (var/demos/<name>.sqlite), deleted first unless `keep`:
 * the app started on it migrates and seeds it from nothing.
 */
export function scratchSqliteFile(name, { keep = false } = {}) {
  mkdirSync(scratchDir, { recursive: true });
  const file = join(scratchDir, `${name}.sqlite`);
  if (!keep) rmSync(file, { force: true });
  return file;
}

/**
 * An empty database `<prefix>_<random>` on the MySQL server `serverUrl` names (default: DATABASE_URL).
 * Resolves to its URL and `drop()`. The app started on it migrates it; a caller may seed it first.
 */
export async function createScratchMysqlDatabase(prefix, serverUrl = process.env.DATABASE_URL) {
  if (!serverUrl) throw new Error('DATABASE_URL is not set: a scratch MySQL database needs a server');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await MikroORM.init({
    driver: MySqlDriver,
    clientUrl: serverUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  try {
    await admin.em.getConnection().execute(`create database \`${name}\``);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await admin.em.getConnection().execute(`drop database if exists \`${name}\``);
      await admin.close();
    },
  };
}
