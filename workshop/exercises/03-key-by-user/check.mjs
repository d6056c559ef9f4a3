import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';

const answersFile = 'workshop/answers/03-partitions.json';
const users = [1, 2, 3];

export const exercise = {
  title: 'Key by something else, and predict the partitions',
  startsFrom: 'main',
  async check(t) {
    const predicted = readPredictions(t);
    t.pass(
      `${answersFile} predicts user 1 → ${predicted[1]}, user 2 → ${predicted[2]}, user 3 → ${predicted[3]}`,
    );

    t.build();
    await t.skipOldOrderEvents();
    const app = await t.startApp();
    t.pass('the app started with EVENT_PUBLISHER=kafka');

    const before = await t.logEndOffsets(ORDER_TOPIC);
    const orderIds = new Map();
    for (const userId of users) {
      const { status, body } = await app.post('/orders', { userId, items: [{ productId: 4, quantity: 1 }] });
      if (status !== 201)
        t.fail(`POST /orders for user ${userId} answered ${status}: ${JSON.stringify(body)}`);
      orderIds.set(body.id, userId);
    }
    const orderIdOf = (record) => JSON.parse(record.value).payload?.orderId;
    const records = (
      await t.recordsAfter(ORDER_TOPIC, before, {
        enough: (found) => found.filter((record) => orderIds.has(orderIdOf(record))).length === users.length,
      })
    ).filter((record) => orderIds.has(orderIdOf(record)));
    if (records.length < users.length) {
      t.fail(
        `only ${records.length} of the ${users.length} orders' records reached ${ORDER_TOPIC} within 15 s`,
      );
    }
    t.pass(`one order each for users ${users.join(', ')}: ${records.length} records on ${ORDER_TOPIC}`);

    for (const record of records) {
      const userId = orderIds.get(orderIdOf(record));
      if (record.key !== String(userId)) {
        t.fail(
          `user ${userId}'s order went out with key "${record.key}", not "${userId}"`,
          'the key is chosen where the event is turned into a message: src/application/order/events/order-event-listener.ts',
        );
      }
    }
    t.pass('each record is keyed by its user id');

    for (const record of records.sort((a, b) => a.key.localeCompare(b.key))) {
      if (record.partition !== predicted[record.key]) {
        t.fail(
          `key "${record.key}" landed in partition ${record.partition}; you predicted ${predicted[record.key]}`,
          `the partition is murmur2(key) mod the partition count (3). Ask the demo instead of guessing:
npm run demo:partitions -- 1 2 3`,
        );
      }
      t.pass(`key "${record.key}" → partition ${record.partition}, as predicted`);
    }
  },
};

function readPredictions(t) {
  const file = join(import.meta.dirname, '../../..', answersFile);
  const hint = `write your prediction as JSON, user id → partition, e.g. { "1": 0, "2": 1, "3": 2 }.
Predict with: npm run demo:partitions -- 1 2 3`;
  if (!existsSync(file)) t.fail(`there is no ${answersFile}`, hint);
  let predicted;
  try {
    predicted = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    t.fail(`${answersFile} is not JSON: ${error.message}`, hint);
  }
  for (const userId of users) {
    if (![0, 1, 2].includes(predicted?.[userId])) {
      t.fail(`${answersFile} has no partition (0, 1 or 2) for user ${userId}`, hint);
    }
  }
  return predicted;
}
