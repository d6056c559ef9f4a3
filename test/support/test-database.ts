import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import { CouponRow, ProductRow, UserRow } from '../../src/infrastructure/persistence/mikro-orm/schema.js';

/** A migrated SQLite database in a fresh temporary file. */
export async function openTestDatabase(): Promise<{ database: Database; remove: () => Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'order-service-db-'));
  const { database } = await Database.open({ driver: 'sqlite', sqliteFile: join(directory, 'test.sqlite') });
  return {
    database,
    remove: async () => {
      await database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface SeedRows {
  readonly products?: { id: number; name: string; price: number; stock: number }[];
  readonly users?: { id: number; name: string; points: number }[];
  readonly coupons?: {
    id: number;
    user: number;
    discountType: 'FIXED' | 'PERCENTAGE';
    discountValue: number;
    usedAt?: Date | null;
  }[];
}

/** Inserts rows directly, as the demo seed does: the app itself never creates products, users or coupons. */
export async function insertRows(database: Database, rows: SeedRows): Promise<void> {
  const em = database.em();
  if (rows.users) await em.insertMany(UserRow, rows.users);
  if (rows.products) await em.insertMany(ProductRow, rows.products);
  if (rows.coupons)
    await em.insertMany(
      CouponRow,
      rows.coupons.map((coupon) => ({ usedAt: null, ...coupon })),
    );
}
