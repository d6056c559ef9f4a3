import { createScratchMysqlDatabase } from '../../scripts/support/scratch-database.mjs';
import { Database, ProductRow, UserRow } from './built-service.mjs';

// Enough buyers and products that concurrent orders rarely queue for the same row lock: the bench
// measures the publishing mode, not lock contention on one hot product.
const BUYERS = 100;
const PRODUCTS = 100;

/**
 * A database of the benchmark's own on the server DATABASE_URL names, migrated by the service's own
 * migrations, with a catalogue no order can exhaust and `buyers` users (ids from 1). Dropped by `drop()`.
 */
export async function createBenchDatabase(purpose, { buyers = BUYERS } = {}) {
  const scratch = await createScratchMysqlDatabase(`orders_bench_${purpose}`);
  const { database } = await Database.open({ driver: 'mysql', url: scratch.url });
  const em = database.em();
  await em.insertMany(
    UserRow,
    Array.from({ length: buyers }, (_, index) => ({
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
    url: scratch.url,
    database,
    drop: async () => {
      await database.close();
      await scratch.drop();
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
