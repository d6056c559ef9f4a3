import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';
import { couponOrder } from '../../../scripts/support/demo-orders.mjs';

const GROUP = 'order-notifications';

export const exercise = {
  title: 'Add a new consumer group',
  startsFrom: 'main',
  async check(t) {
    t.build();
    await t.skipOldOrderEvents([GROUP]);
    const app = await t.startApp();
    t.pass('the app started with EVENT_PUBLISHER=kafka');

    const { status, body: order } = await app.post('/orders', couponOrder);
    if (status !== 201) t.fail(`POST /orders answered ${status}: ${JSON.stringify(order)}`);
    const published = await app.waitForLog(
      '"event published"',
      (line) => line.msg === 'event published' && line.key === order.id,
    );
    t.pass(`order ${order.id} → partition ${published.partition}, offset ${published.offset}`);

    const committed = await t.waitFor(async () => {
      const offset = (await t.committedOffsets(GROUP, ORDER_TOPIC))[published.partition];
      return offset > Number(published.offset) ? offset : undefined;
    });
    if (committed === undefined) {
      t.fail(
        `consumer group ${GROUP} did not commit past the order's record (partition ${published.partition}, offset ${published.offset}) within 20 s`,
        `a consumer group is a MessageConsumer with a groupId of its own. Write one in
src/interfaces/messaging/consumers/ (data-platform-interlock.ts is a model) and list it in
messageConsumers in src/infrastructure/di/container.ts.`,
      );
    }
    t.pass(
      `consumer group ${GROUP} committed offset ${committed} on partition ${published.partition}: it read the record`,
    );

    const notified = app.lines.find((line) => line.msg === 'notification sent' && line.orderId === order.id);
    if (notified === undefined) {
      t.fail(
        `${GROUP} read the record, but the app never logged "notification sent" with orderId ${order.id}`,
        'log it from your handler: logger.info({ orderId, userId }, "notification sent"), reading both from the payload',
      );
    }
    if (notified.userId !== couponOrder.userId) {
      t.fail(
        `"notification sent" names userId ${notified.userId}; the order was placed by user ${couponOrder.userId}`,
      );
    }
    t.pass(`"notification sent" for order ${order.id}, user ${notified.userId}`);

    for (const message of ['data platform received order', 'product ranking updated']) {
      const seen = await t.waitFor(() =>
        app.lines.find((line) => line.msg === message && line.orderId === order.id),
      );
      if (seen === undefined)
        t.fail(`the app no longer logs "${message}" for the order: did a group lose it?`);
    }
    t.pass('data-platform and product-ranking got the same record: every group reads every event');
  },
};
