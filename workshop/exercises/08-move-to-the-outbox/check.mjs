import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';

const order = { userId: 1, items: [{ productId: 2, quantity: 1 }] };

export const exercise = {
  title: 'Move to the outbox',
  startsFrom: 'the outbox row is written after the order commits, in a transaction of its own',
  async check(t) {
    t.build();
    await t.skipOldOrderEvents();

    const lostWithKafka = await placeOrderAndCrash(t, 'kafka');
    if (!lostWithKafka.lost)
      t.fail('with EVENT_PUBLISHER=kafka the event survived the crash: the crash point did not fire in time');
    t.pass(
      `with EVENT_PUBLISHER=kafka: order ${lostWithKafka.orderId} committed, the process died, the event is lost`,
    );

    const withOutbox = await placeOrderAndCrash(t, 'outbox');
    if (withOutbox.lost) {
      t.fail(
        `with EVENT_PUBLISHER=outbox: order ${withOutbox.orderId} committed, the process died right after COMMIT,
and after the restart its event never reached ${ORDER_TOPIC}: no outbox row was left for the relay.`,
        `the row must be written in the order's own transaction, so the order and its event commit together
or not at all: a before-commit listener (the outbox record's listenerPhase in
src/infrastructure/di/publishing-modes.ts), and no transaction of its own in
src/infrastructure/messaging/outbox/outbox-global-event-publisher.ts.`,
      );
    }
    t.pass(
      `with EVENT_PUBLISHER=outbox: order ${withOutbox.orderId} committed, the process died, and after the restart ` +
        `the relay sent its event (partition ${withOutbox.record.partition}, offset ${withOutbox.record.offset})`,
    );
  },
};

/**
 * Places an order in an app that kills itself right after the order's COMMIT, restarts it on the same
 * database, and looks for the order's record on the topic.
 */
async function placeOrderAndCrash(t, publisher) {
  const before = await t.logEndOffsets(ORDER_TOPIC);
  const app = await t.startApp({ EVENT_PUBLISHER: publisher, TEST_FAULT_INJECTION: 'crash-after-commit' });
  // The process may die before the response leaves: the order's id comes from the log.
  await app.post('/orders', order).catch(() => undefined);
  const committed = await app.waitForLog(
    '"order placed and committed"',
    (line) => line.msg === 'order placed and committed',
  );
  const { signal } = await app.exited;
  if (signal !== 'SIGKILL')
    t.fail(`the ${publisher} app was set to die after the commit, but it exited with ${signal}`);

  await t.startApp({ EVENT_PUBLISHER: publisher }, { keepDatabase: true });
  const records = await t.recordsAfter(ORDER_TOPIC, before, {
    enough: (found) => found.some(({ key }) => key === committed.orderId),
    timeoutMs: 8_000,
  });
  const record = records.find(({ key }) => key === committed.orderId);
  return { orderId: committed.orderId, lost: record === undefined, record };
}
