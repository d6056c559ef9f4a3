import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import request from 'supertest';
import { logEndOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { COUPON_ISSUE_REQUESTED_TOPIC } from '../../../src/application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import type { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
  redisUrl,
} from '../../support/servers/real-servers.js';
import { readRecords, testKafka } from '../../support/servers/kafka-test-kit.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';
import { startTestService, type TestService } from '../../support/test-service.js';

const USERS = 300;
const FIRST_USER = 30_001;
const users = Array.from({ length: USERS }, (_, index) => FIRST_USER + index);

// The issue's "done when": 300 users at once for a 50-coupon campaign, the line on Redis, the scheduler
// publishing it onto Kafka (straight after its step, or through the outbox table), the coupon-issuer group
// issuing on MySQL.
for (const eventPublisher of ['kafka', 'outbox'] as const) {
  describeWithRealServers(
    `the coupon rush with COUPON_QUEUE=redis and EVENT_PUBLISHER=${eventPublisher}, on Kafka and MySQL`,
    () => {
      const keyPrefix = scratchKeyPrefix();
      let shop: TestService;
      let redis: RedisClient;
      let kafka: Kafka;
      let admin: Admin;
      let dropDatabase: () => Promise<void>;

      beforeAll(async () => {
        const database = await createScratchDatabase();
        dropDatabase = database.drop;
        shop = await startTestService({
          EVENT_PUBLISHER: eventPublisher,
          KAFKA_BROKERS: kafkaBrokers(),
          DB_DRIVER: 'mysql',
          DATABASE_URL: database.url,
          COUPON_QUEUE: 'redis',
          REDIS_URL: redisUrl(),
          REDIS_KEY_PREFIX: keyPrefix,
        });
        await shop.insert({ users: users.map((id) => ({ id, name: `Rusher ${id}`, points: 10_000_000 })) });
        redis = await connectRedis(keyPrefix);
        kafka = testKafka();
        admin = kafka.admin();
        await admin.connect();
      }, 60_000);
      afterAll(async () => {
        await admin.disconnect();
        await shop.stop();
        await redis.deleteOwnKeys();
        await redis.close();
        await dropDatabase();
      });

      it('answers every request 202, issues exactly 50 coupons to the first 50, none twice', async () => {
        const campaigns = (await request(shop.http).get('/coupon-campaigns').expect(200)).body as Array<{
          id: number;
          quantity: number;
          open: boolean;
        }>;
        const campaign = campaigns.find((each) => each.quantity === 50 && each.open)!;
        const before = await logEndOffsets(admin, COUPON_ISSUE_REQUESTED_TOPIC);

        const answers = await Promise.all(
          users.map((userId) =>
            request(shop.http).post(`/coupon-campaigns/${campaign.id}/issue-requests`).send({ userId }),
          ),
        );
        expect(answers.map((answer) => answer.status)).toEqual(users.map(() => 202));
        const again = await request(shop.http)
          .post(`/coupon-campaigns/${campaign.id}/issue-requests`)
          .send({ userId: FIRST_USER });
        expect(again.headers['location']).toBe(answers[0]!.headers['location']);
        await shop.service.drainEvents();

        const outcomes = await Promise.all(
          answers.map(
            async (answer) => (await request(shop.http).get(answer.headers['location']!).expect(200)).body,
          ),
        );
        const issued = outcomes.filter((outcome) => outcome.status === 'ISSUED');
        expect(issued.map((outcome) => outcome.position).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, index) => index + 1),
        );
        expect(new Set(issued.map((outcome) => outcome.couponId)).size).toBe(50);
        expect(outcomes.filter((outcome) => outcome.status === 'SOLD_OUT')).toHaveLength(USERS - 50);
        // One key per campaign: every request in one partition, in the order of the line.
        const records = await readRecords(kafka, COUPON_ISSUE_REQUESTED_TOPIC, USERS, before);
        expect(new Set(records.map((record) => record.key))).toEqual(new Set([String(campaign.id)]));
        expect(new Set(records.map((record) => record.partition)).size).toBe(1);
        const positionsInOffsetOrder = records
          .sort((a, b) => Number(a.offset) - Number(b.offset))
          .map((record) => (JSON.parse(record.value) as { payload: { position: number } }).payload.position);
        expect(positionsInOffsetOrder).toEqual(users.map((_, index) => index + 1));
        // The line is on Redis, under this test's prefix, and nothing is left waiting or in flight.
        expect(await redis.commands.hLen(redis.key('coupon-requests'))).toBe(USERS);
        expect(await redis.commands.zCard(redis.key('coupon-requests', 'waiting'))).toBe(0);
        expect(await redis.commands.zCard(redis.key('coupon-requests', 'in-flight'))).toBe(0);
      });
    },
  );
}
