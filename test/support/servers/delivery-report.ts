import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import {
  OrderRow,
  ProcessedEventRow,
  ProductSalesRow,
} from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { randomInt } from 'node:crypto';
import { insertRows } from '../test-database.js';
import type { PartitionOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { readToEnd } from './kafka-test-kit.js';

/**
 * The catalogue of one scenario: a buyer who can afford every order, and three products with stock for all
 * of them. The consumer groups are shared by every test on the broker, so a scenario's database may also
 * receive other tests' events; its product ids are its own, so its ranking counts only its own orders.
 */
export interface ReliabilityScenario {
  readonly productIds: readonly number[];
  /** The n-th order: one unit of one of the three products in turn. */
  order(n: number): { userId: number; items: { productId: number; quantity: number }[] };
}

/** Migrates the (scratch) database at `url` and adds a catalogue of the scenario's own. */
export async function prepareReliabilityDatabase(url: string): Promise<ReliabilityScenario> {
  const firstId = 1_000 + 3 * randomInt(1_000_000);
  const productIds = [firstId, firstId + 1, firstId + 2];
  const { database } = await Database.open({ driver: 'mysql', url });
  await insertRows(database, {
    users: [{ id: 100, name: 'Load Tester', points: 1_000_000_000_000 }],
    products: productIds.map((id) => ({ id, name: `Test product ${id}`, price: 100, stock: 1_000_000 })),
  });
  await database.close();
  return {
    productIds,
    order: (n) => ({ userId: 100, items: [{ productId: productIds[n % 3]!, quantity: 1 }] }),
  };
}

/** What a fault did to the events of one scenario, counted from its database and the topic. */
export interface DeliveryCounts {
  /** Orders in the database. */
  readonly committed: number;
  /** Distinct orders with a record on the topic. */
  readonly delivered: number;
  /** Records beyond the first for the same order: the at-least-once duplicates. */
  readonly duplicatedOnWire: number;
  /** Of those events, how many each group applied (rows in its inbox). */
  readonly appliedByDataPlatform: number;
  readonly appliedByRanking: number;
  /** Units the ranking counted for the scenario's products (every order is one unit). */
  readonly unitsRanked: number;
  /** Effects applied more than once: units counted beyond one per event the ranking applied. */
  readonly appliedTwice: number;
  /** Committed orders whose event never reached the topic. */
  readonly lost: number;
}

/** Counts how the scenario's committed orders fared: on the topic (from `from` to its end) and in each group. */
export async function countDeliveries(
  database: Database,
  kafka: Kafka,
  admin: Admin,
  from: PartitionOffsets,
  scenario: ReliabilityScenario,
): Promise<DeliveryCounts> {
  const em = database.em();
  const orderIds = new Set((await em.find(OrderRow, {}, { fields: ['id'] })).map((order) => order.id));
  const records = (await readToEnd(kafka, admin, ORDER_COMPLETED_TOPIC, from)).filter(
    (record) => record.key !== null && orderIds.has(record.key),
  );
  const eventIds = [...new Set(records.map((record) => record.headers['event-id'] ?? ''))];
  const delivered = new Set(records.map((record) => record.key)).size;
  const applied = (consumerGroup: string) =>
    em.count(ProcessedEventRow, { consumerGroup, eventId: { $in: eventIds } });
  const appliedByRanking = await applied('product-ranking');
  const unitsRanked = (
    await em.find(ProductSalesRow, { productId: { $in: [...scenario.productIds] } })
  ).reduce((sum, row) => sum + row.unitsSold, 0);
  return {
    committed: orderIds.size,
    delivered,
    duplicatedOnWire: records.length - delivered,
    appliedByDataPlatform: await applied('data-platform'),
    appliedByRanking,
    unitsRanked,
    appliedTwice: unitsRanked - appliedByRanking,
    lost: orderIds.size - delivered,
  };
}

const REPORT_FILE = join(import.meta.dirname, '../../../var/reliability/results.jsonl');

/**
 * Prints one scenario's counts (outside Jest's console, so they read as a table in the test output) and
 * appends them to var/reliability/results.jsonl, where docs/reliability.md's figures come from.
 */
export function reportDeliveries(scenario: string, mode: string, counts: DeliveryCounts): void {
  const figures = Object.entries(counts)
    .map(([name, value]) => `${name}=${value}`)
    .join('  ');
  process.stdout.write(`\n  reliability | ${scenario} | ${mode} | ${figures}\n`);
  mkdirSync(join(REPORT_FILE, '..'), { recursive: true });
  appendFileSync(
    REPORT_FILE,
    `${JSON.stringify({ scenario, mode, ...counts, at: new Date().toISOString() })}\n`,
  );
}
