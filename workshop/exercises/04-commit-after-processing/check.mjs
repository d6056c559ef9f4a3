import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';
import { unitsSold } from '../../support/checker.mjs';

const order = { userId: 2, items: [{ productId: 5, quantity: 2 }] };

export const exercise = {
  title: 'Commit after processing, and survive a crash',
  startsFrom: 'the listener container commits each offset as the record arrives',
  async check(t) {
    t.build();
    await t.skipOldOrderEvents();
    const crashing = await t.startApp({ TEST_FAULT_INJECTION: 'crash-before-handling:product-ranking' });
    t.pass('the app started, set to die as product-ranking receives its first record');

    const { status, body } = await crashing.post('/orders', order);
    if (status !== 201) t.fail(`POST /orders answered ${status}: ${JSON.stringify(body)}`);
    const published = await crashing.waitForLog(
      '"event published"',
      (line) => line.msg === 'event published' && line.key === body.id,
    );
    const died = await Promise.race([crashing.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (died?.signal !== 'SIGKILL') {
      t.fail('the app did not die within 20 s: did product-ranking receive the record at all?');
    }
    t.pass(
      `order ${body.id} → partition ${published.partition}, offset ${published.offset}; the process died ` +
        'as product-ranking received it, before the handler ran (SIGKILL: no shutdown)',
    );

    const restarted = await t.startApp({}, { keepDatabase: true });
    t.pass('the app started again on the same database, without the crash point');
    // Once the group has its partitions back, a redelivered record is handled within moments.
    await restarted.waitForLog('product-ranking joining its group', (line) =>
      line.msg?.startsWith('product-ranking: joined the group'),
    );
    const sold = await t.waitFor(async () => {
      const units = await unitsSold(restarted, 5);
      return units > 0 ? units : undefined;
    }, 8_000);
    if (sold === undefined) {
      const committed = (await t.committedOffsets('product-ranking', ORDER_TOPIC))[published.partition];
      t.fail(
        `after the restart, product-ranking never applied order ${body.id}: GET /products/ranking has no sales of
product 5. Its committed offset on partition ${published.partition} is ${committed}, past the record at
offset ${published.offset}: the offset was committed before the handler ran, so the crash lost the record
(at most once).`,
        `mark a record handled (and so commit offset+1) only after the handler has succeeded, or the record
went to the dead-letter topic: processOneByOne() in src/infrastructure/messaging/kafka/kafka-listener-container.ts.
Chapter 05 explains why.`,
      );
    }
    t.pass(
      `the record came back after the restart and product-ranking applied it: ${sold} units of product 5`,
    );
    if (sold !== 2) t.fail(`the ranking counts ${sold} units of product 5; the order had 2`);
    t.pass(
      'counted once: at least once delivery, with the idempotent receiver keeping it exactly once in effect',
    );
  },
};
