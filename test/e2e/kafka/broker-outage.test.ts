import { afterEach, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from '../../support/servers/kafka-test-kit.js';
import {
  brokerIsOurs,
  describeWithRealServers,
  kafkaBrokers,
  services,
} from '../../support/servers/real-servers.js';
import { startTestService, type TestService } from '../../support/test-service.js';

// Stops the real broker while the service runs. Only a broker that `npm run services:start` runs can be
// stopped and started again from here; CI runs that one, so there this test never skips.
const itWithOurBroker = brokerIsOurs() ? it : it.skip;
if (!brokerIsOurs() && process.env['CI'] === 'true') {
  throw new Error('CI=true: the broker-outage test needs the broker of `npm run services:start`');
}

describeWithRealServers('a broker outage (real broker, stopped and started again)', () => {
  let shop: TestService | undefined;
  afterEach(async () => {
    services('start', 'kafka'); // says "already running" when the test got that far
    await shop?.stop();
  });

  const placeOrder = () =>
    request(shop!.http)
      .post('/orders')
      .send({ userId: 1, items: [{ productId: 1, quantity: 1 }] })
      .expect(201);

  itWithOurBroker(
    'still answers 201, logs and counts the lost event, and recovers when the broker is back',
    async () => {
      shop = await startTestService({ EVENT_PUBLISHER: 'kafka', KAFKA_BROKERS: kafkaBrokers() });
      services('stop', 'kafka');

      const { body: order } = await placeOrder();

      const lost = () =>
        shop!.logs.find((line) => line.msg.startsWith('event NOT published') && line['key'] === order.id);
      await waitFor(() => lost() !== undefined, 'the failed send to be logged', 90_000);
      const story = shop.logs.map((line) => line.msg);
      // The response went out long before the producer gave up.
      expect(story.indexOf('request completed')).toBeGreaterThanOrEqual(0);
      expect(story.indexOf('request completed')).toBeLessThan(story.indexOf(lost()!.msg));
      expect(lost()).toMatchObject({ eventId: expect.any(String), failedSends: 1 });
      const health = await request(shop.http).get('/health').expect(503);
      expect(health.body.components.publisher).toMatchObject({ status: 'DOWN', details: { failedSends: 1 } });
      // The order itself is committed: the outbox chapter is about not losing its event.
      await request(shop.http).get(`/orders/${order.id}`).expect(200);

      // Back up: the producer reconnects and the consumer groups rejoin, without restarting the service.
      services('start', 'kafka');
      await waitFor(
        async () => (await request(shop!.http).get('/health')).status === 200,
        'the service to see the broker again',
        60_000,
      );
      const { body: next } = await placeOrder();
      // Rejoining can take up to a session timeout (30 s): the restarted broker first waits for the
      // members it remembers from before the outage.
      await waitFor(
        () =>
          shop!.logs.some(
            (line) => line.msg === 'data platform received order' && line['orderId'] === next.id,
          ),
        'the data-platform group to handle the next order',
        90_000,
      );
      expect(shop.logs.filter((line) => line.msg === 'event published')).toHaveLength(1);
    },
    180_000,
  );
});
