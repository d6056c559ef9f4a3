import { randomBytes } from 'node:crypto';
import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';
import { unitsSold } from '../../support/checker.mjs';

const DLQ_TOPIC = `${ORDER_TOPIC}.dlq`;
const GROUP = 'product-ranking';

export const exercise = {
  title: 'Send poison to the dead-letter topic',
  startsFrom: 'a record that fails every attempt is thrown back to kafkajs',
  async check(t) {
    t.build();
    await t.skipOldOrderEvents();
    const app = await t.startApp();
    t.pass('the app started with EVENT_PUBLISHER=kafka, CONSUMER_MAX_ATTEMPTS=3');

    // One poison record in every partition: whichever partition the next order lands in, it is behind one.
    const dlqBefore = await t.logEndOffsets(DLQ_TOPIC);
    const run = randomBytes(3).toString('hex');
    const poison = [0, 1, 2].map((partition) => ({
      partition,
      key: `poison-${run}-${partition}`,
      value: `not an event ${run}`,
    }));
    const written = await t.send(ORDER_TOPIC, poison);
    t.pass(
      `3 poison records (not JSON), one per partition, at offsets ${written.map((w) => `${w.partition}:${w.baseOffset}`).join(' ')}`,
    );
    const { status, body: order } = await app.post('/orders', {
      userId: 3,
      items: [{ productId: 4, quantity: 3 }],
    });
    if (status !== 201) t.fail(`POST /orders answered ${status}: ${JSON.stringify(order)}`);
    t.pass(`order ${order.id} placed behind them: 3 units of product 4`);

    const isDeadLetterOfOurs = (record) =>
      record.headers['dlq-consumer-group'] === GROUP && poison.some(({ key }) => key === record.key);
    const deadLetters = (
      await t.recordsAfter(DLQ_TOPIC, dlqBefore, {
        enough: (found) => found.filter(isDeadLetterOfOurs).length >= poison.length,
        timeoutMs: 20_000,
      })
    ).filter(isDeadLetterOfOurs);
    if (deadLetters.length < poison.length) {
      const committed = await t.committedOffsets(GROUP, ORDER_TOPIC);
      const stuck = written.filter(
        ({ partition, baseOffset }) => !(committed[partition] > Number(baseOffset)),
      );
      t.fail(
        `${deadLetters.length} of the 3 poison records reached ${DLQ_TOPIC} from ${GROUP} in 20 s. ${GROUP} is
stuck on ${stuck.map(({ partition, baseOffset }) => `partition ${partition} at offset ${baseOffset}`).join(', ') || 'no partition'}:
it tries the same poison record again and again, and order ${order.id} behind it waits forever.`,
        `once the attempts are spent, send the record to <topic>.dlq (deadLetterOf() in
src/infrastructure/messaging/consumer/dead-letter.ts builds it), then commit its offset so the partition
moves on: handleRecord() in src/infrastructure/messaging/kafka/kafka-listener-container.ts`,
      );
    }
    t.pass(`each poison record is on ${DLQ_TOPIC}, dead-lettered by ${GROUP}`);

    for (const deadLetter of deadLetters) {
      const original = poison.find(({ key }) => key === deadLetter.key);
      if (deadLetter.value !== original.value)
        t.fail(`the dead letter of ${deadLetter.key} does not carry the original value`);
      if (!deadLetter.headers['dlq-error']) {
        t.fail(
          `the dead letter of ${deadLetter.key} has no dlq-error header: whoever replays it needs to know why it failed`,
        );
      }
    }
    t.pass(
      `same key and value as the original, with why it failed: dlq-error = "${deadLetters[0].headers['dlq-error']}"`,
    );

    const sold = await t.waitFor(async () => ((await unitsSold(app, 4)) === 3 ? 3 : undefined), 15_000);
    if (sold === undefined)
      t.fail(`the poison records are dead-lettered, but order ${order.id} behind them was never counted`);
    t.pass(`the partitions moved on: order ${order.id} behind the poison was counted (3 units of product 4)`);
  },
};
