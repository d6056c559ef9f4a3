import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { Database } from '../../dist/infrastructure/persistence/mikro-orm/database.js';
import { ProductRow, UserRow } from '../../dist/infrastructure/persistence/mikro-orm/schema.js';

// Enough buyers and products that concurrent orders rarely queue for the same row lock: the bench
// measures the publishing mode, not lock contention on one hot product.
const BUYERS = 100;
const PRODUCTS = 100;

/**
 * A database of the benchmark's own on the server DATABASE_URL names, migrated by the service's own
 * migrations, with a catalogue no order can exhaust. Dropped by `drop()`.
 */
export async function createBenchDatabase(purpose) {
  const serverUrl = new URL(process.env.DATABASE_URL);
  const name = `orders_bench_${purpose}_${randomBytes(3).toString('hex')}`;
  const admin = await MikroORM.init({
    driver: MySqlDriver,
    clientUrl: serverUrl.toString(),
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  await admin.em.getConnection().execute(`create database \`${name}\``);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { database } = await Database.open({ driver: 'mysql', url: url.toString() });
  const em = database.em();
  await em.insertMany(
    UserRow,
    Array.from({ length: BUYERS }, (_, index) => ({
      id: index + 1,
      name: `Bench buyer ${index + 1}`,
      points: 1_000_000_000_000,
    })),
  );
  await em.insertMany(
    ProductRow,
    Array.from({ length: PRODUCTS }, (_, index) => ({
      id: index + 1,
      name: `Bench product ${index + 1}`,
      price: 100,
      stock: 1_000_000_000,
    })),
  );
  return {
    url: url.toString(),
    database,
    drop: async () => {
      await database.close();
      await admin.em.getConnection().execute(`drop database if exists \`${name}\``);
      await admin.close();
    },
  };
}

/** The n-th order of a run: one unit, buyers and products in turn (37 is prime to 100: all pairs occur). */
export function orderBody(n) {
  return JSON.stringify({
    userId: (n % BUYERS) + 1,
    items: [{ productId: ((n * 37) % PRODUCTS) + 1, quantity: 1 }],
  });
}
