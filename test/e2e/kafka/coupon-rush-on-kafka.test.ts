import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import request from 'supertest';
import { COUPON_ISSUE_REQUESTED_TOPIC } from '../../../src/application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import { logEndOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { readRecords, testKafka } from '../../support/servers/kafka-test-kit.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { startTestService, type TestService } from '../../support/test-service.js';

const USERS = 80;
const FIRST_USER = 20_001;
const users = Array.from({ length: USERS }, (_, index) => FIRST_USER + index);

// The rush through a real broker: the scheduler publishes the queue onto Kafka, the coupon-issuer group
// issues on MySQL.
describeWithRealServers('the coupon rush on Kafka and MySQL (real servers)', () => {
  let shop: TestService;
  let kafka: Kafka;
  let admin: Admin;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createScratchDatabase();
    dropDatabase = database.drop;
    shop = await startTestService({
      EVENT_PUBLISHER: 'kafka',
      KAFKA_BROKERS: kafkaBrokers(),
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
    });
    await shop.insert({ users: users.map((id) => ({ id, name: `Rusher ${id}`, points: 10_000_000 })) });
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await shop.stop();
    await admin.disconnect();
    await dropDatabase();
  });

  it('issues the 50 coupons to the first 50 of 80 users, through one partition in queue order', async () => {
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
  });
});
