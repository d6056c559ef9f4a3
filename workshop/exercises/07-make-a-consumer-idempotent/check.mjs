import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';
import { unitsSold } from '../../support/checker.mjs';

const GROUP = 'product-ranking';

export const exercise = {
  title: 'Make a consumer idempotent',
  startsFrom: 'the product-ranking consumer applies every delivery',
  async check(t) {
    t.build();
    await t.skipOldOrderEvents();
    const app = await t.startApp();
    t.pass('the app started with EVENT_PUBLISHER=kafka');

    const before = await t.logEndOffsets(ORDER_TOPIC);
    const { status, body: order } = await app.post('/orders', {
      userId: 1,
      items: [{ productId: 6, quantity: 1 }],
    });
    if (status !== 201) t.fail(`POST /orders answered ${status}: ${JSON.stringify(order)}`);
    const [record] = await t
      .recordsAfter(ORDER_TOPIC, before, {
        enough: (found) => found.some(({ key }) => key === order.id),
      })
      .then((found) => found.filter(({ key }) => key === order.id));
    if (record === undefined) t.fail(`order ${order.id}'s record did not reach ${ORDER_TOPIC} within 15 s`);
    if ((await t.waitFor(async () => ((await unitsSold(app, 6)) === 1 ? 1 : undefined))) === undefined) {
      t.fail(`${GROUP} did not count order ${order.id} within 20 s`);
    }
    t.pass(`order ${order.id} (event ${record.headers['event-id']}) counted: 1 unit of product 6`);

    // What a crash between the handler and the commit, or a rebalance, would do: the same record again.
    const [copy] = await t.send(ORDER_TOPIC, [
      { key: record.key, value: record.value, headers: record.headers },
    ]);
    t.pass(
      `the same event delivered again: a copy at partition ${copy.partition}, offset ${copy.baseOffset}`,
    );
    const consumed = await t.waitFor(async () => {
      const committed = (await t.committedOffsets(GROUP, ORDER_TOPIC))[copy.partition];
      return committed > Number(copy.baseOffset) ? committed : undefined;
    });
    if (consumed === undefined) t.fail(`${GROUP} did not get past the copy within 20 s`);

    const units = await unitsSold(app, 6);
    if (units !== 1) {
      t.fail(
        `the ranking now counts ${units} units of product 6: ${GROUP} applied event ${record.headers['event-id']} twice.
Kafka delivers at least once, so a second delivery of the same event must change nothing.`,
        `in addSalesOnce (src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.ts),
record the batch's event ids with ProcessedEvents.recordFirstDeliveries in the same transaction as the
sales, and count only the orders whose ids it recorded now. The Idempotent Receiver
(src/application/shared/messaging/idempotent-receiver.ts) shows how, for one event.`,
      );
    }
    const skipped = app.lines.find(
      (line) => line.msg?.startsWith('duplicate delivery skipped') && line.consumerGroup === GROUP,
    );
    t.pass(
      `still 1 unit of product 6 after the redelivery${skipped ? ' (the app logged "duplicate delivery skipped")' : ''}`,
    );
  },
};
