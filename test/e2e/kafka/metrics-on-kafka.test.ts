import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { parsePrometheusText } from '../../../lab/prometheus-text.mjs';
import { sampleValue } from '../../support/prometheus-text.js';
import { testKafka, testProducer, uniqueName } from '../../support/servers/kafka-test-kit.js';
import { javaDefaultPartition } from '../../support/servers/murmur2.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { startTestService, type TestService } from '../../support/test-service.js';

const ORDER_GROUPS = ['data-platform', 'product-ranking'];
const PARTITIONS = 3;

// GET /metrics of the service as `EVENT_PUBLISHER=outbox DB_DRIVER=mysql npm start` assembles it, on a real
// broker: the gauges read at scrape time (outbox table, consumer offsets) and the dead-letter counter.
describeWithRealServers('GET /metrics in outbox mode (real servers)', () => {
  let shop: TestService;
  let producer: Producer;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createScratchDatabase();
    dropDatabase = database.drop;
    shop = await startTestService({
      EVENT_PUBLISHER: 'outbox',
      KAFKA_BROKERS: kafkaBrokers(),
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
      // A poison record waits 2 s, then 4 s, between its attempts: long enough for a scrape to see its lag.
      CONSUMER_MAX_ATTEMPTS: '3',
      CONSUMER_BACKOFF_MS: '2000',
    });
    producer = testProducer(testKafka());
    await producer.connect();
  }, 60_000);
  afterAll(async () => {
    await producer.disconnect();
    await shop.stop();
    await dropDatabase();
  });

  const scrape = async () => (await request(shop.http).get('/metrics').expect(200)).text;
  const lagOf = (text: string, group: string, partition: number) =>
    sampleValue(text, 'consumer_lag_records', {
      group,
      topic: ORDER_COMPLETED_TOPIC,
      partition: String(partition),
    });

  it('reports the outbox backlog, and each group at lag 0 on every partition once it caught up', async () => {
    await request(shop.http)
      .post('/orders')
      .send({ userId: 1, items: [{ productId: 2, quantity: 1 }] })
      .expect(201);
    await shop.service.drainEvents();

    const text = await scrape();

    expect(sampleValue(text, 'event_publisher_info', { mode: 'outbox' })).toBe(1);
    expect(
      sampleValue(text, 'events_published_total', { mode: 'outbox', topic: ORDER_COMPLETED_TOPIC }),
    ).toBe(1);
    expect(sampleValue(text, 'outbox_pending_rows')).toBe(0);
    expect(sampleValue(text, 'outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sampleValue(text, 'outbox_failed_rows')).toBe(0);
    for (const group of ORDER_GROUPS) {
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        expect(lagOf(text, group, partition)).toBe(0);
      }
    }
  });

  it('shows lag on the partition a poison record blocks, back to 0 once it is dead-lettered, and counts it', async () => {
    const key = uniqueName('poison');
    const partition = javaDefaultPartition(key, PARTITIONS);
    await producer.send({ topic: ORDER_COMPLETED_TOPIC, messages: [{ key, value: 'not an envelope' }] });

    // While the groups retry it, the record is not committed: lag 1 on its partition.
    await waitFor('the poison record to show as lag', async () => {
      const text = await scrape();
      return ORDER_GROUPS.every((group) => lagOf(text, group, partition) === 1);
    });
    const text = await waitFor('both groups to dead-letter the poison record and catch up', async () => {
      const scraped = await scrape();
      const caughtUp = parsePrometheusText(scraped)
        .filter(
          (sample) =>
            sample.name === 'consumer_lag_records' && ORDER_GROUPS.includes(sample.labels['group']!),
        )
        .every((sample) => sample.value === 0);
      const deadLettered = ORDER_GROUPS.every(
        (group) =>
          sampleValue(scraped, 'consumer_records_dead_lettered_total', {
            group,
            topic: ORDER_COMPLETED_TOPIC,
          }) === 1,
      );
      return caughtUp && deadLettered && scraped;
    });

    for (const group of ORDER_GROUPS) {
      const labels = { group, topic: ORDER_COMPLETED_TOPIC };
      // Three attempts: two retried, the third spent.
      expect(sampleValue(text, 'consumer_records_retried_total', labels)).toBe(2);
      expect(sampleValue(text, 'consumer_records_dead_lettered_total', labels)).toBe(1);
      expect(lagOf(text, group, partition)).toBe(0);
    }
  });
});
