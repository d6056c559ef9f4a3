import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import {
  CouponCampaignRow,
  CouponRow,
  ProductRow,
  UserRow,
} from '../../src/infrastructure/persistence/mikro-orm/schema.js';

export interface TemporaryFolder {
  /** The path of `name` in the folder (nothing is created there). */
  readonly path: (name: string) => string;
  /** Deletes the folder and everything in it. */
  readonly remove: () => void;
}

/**
 * A fresh temporary folder for a test's files: a SQLite database, or what a test points SQLITE_FILE at
 * (a folder, a file that is not a database).
 */
export function temporaryFolder(): TemporaryFolder {
  const directory = mkdtempSync(join(tmpdir(), 'order-service-'));
  return {
    path: (name) => join(directory, name),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** A migrated SQLite database in a fresh temporary file. */
export async function openTestDatabase(): Promise<{ database: Database; remove: () => Promise<void> }> {
  const folder = temporaryFolder();
  const { database } = await Database.open({ driver: 'sqlite', sqliteFile: folder.path('test.sqlite') });
  return {
    database,
    remove: async () => {
      await database.close();
      folder.remove();
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
    campaign?: number | null;
  }[];
  readonly couponCampaigns?: {
    id: number;
    name: string;
    discountType: 'FIXED' | 'PERCENTAGE';
    discountValue: number;
    quantity: number;
    issuedCount?: number;
    opensAt: Date;
    closesAt: Date;
  }[];
}

/** Inserts rows directly, as the demo seed does: the app itself never creates products, users or coupons. */
export async function insertRows(database: Database, rows: SeedRows): Promise<void> {
  const em = database.em();
  if (rows.users) await em.insertMany(UserRow, rows.users);
  if (rows.products) await em.insertMany(ProductRow, rows.products);
  if (rows.couponCampaigns)
    await em.insertMany(
      CouponCampaignRow,
      rows.couponCampaigns.map((campaign) => ({ issuedCount: 0, ...campaign })),
    );
  if (rows.coupons)
    await em.insertMany(
      CouponRow,
      rows.coupons.map((coupon) => ({ usedAt: null, ...coupon })),
    );
}
