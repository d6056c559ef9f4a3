// Chapter 11: the coupon rush, on the running order service with Redis, Kafka and MySQL. 200 users ask for
// the 10 coupons of campaign 3 at the same instant. Every request is answered 202 with a place in the
// line; the scheduler moves the line onto the topic in order, all of it in one partition (key = campaign
// id); the coupon-issuer group issues the 10 coupons to the 10 first places. The demo runs the app on a
// scratch MySQL database and a scratch Redis key prefix, and checks every claim the chapter makes.
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import { createScratchMysqlDatabase } from '../scripts/support/scratch-database.mjs';
import { logEndOffsets, settledLags } from '../scripts/support/kafka-offsets.mjs';
import { redisUrl as redisAddress, servicesEnv, withoutPassword } from '../scripts/support/services-env.mjs';
import { startAppProcess } from '../scripts/support/app-process.mjs';
import { demo, waitFor } from './support/demo.mjs';
import { readRecords } from './support/records.mjs';
import { buildApp, skipOldOrderEvents, skipOldRecords } from './support/app.mjs';

const TOPIC = 'outside.coupon.issue-requested.v1';
const ISSUER_GROUP = 'coupon-issuer';
/** The demo data's small campaign: "First 10". */
const CAMPAIGN_ID = 3;
const USERS = 200;
/** The first user of the rush: users 1–3 are the README's Alice, Bob and Carol; the demo data's shoppers follow. */
const FIRST_USER = 11;
/** COUPON_QUEUE_BATCH_SIZE: the most requests one scheduler step takes. */
const BATCH_SIZE = 100;

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Topics and Consumer groups, one partition filling';

await demo({ chapter: '11', title: 'First-come coupons', lab }, async (context) => {
  const { admin, progress } = context;
  const redisUrl = redisAddress();
  const databaseUrl = process.env.DATABASE_URL || servicesEnv().DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'this demo needs MySQL besides Kafka: npm run services:start (or docker compose up -d), or set DATABASE_URL',
    );
  }
  progress('npm run build');
  buildApp();
  const database = await createScratchMysqlDatabase('demo_11', databaseUrl);
  const redisPrefix = `demo-11-${randomBytes(3).toString('hex')}:`;
  // No reconnecting: a Redis that does not answer should end the demo with a message, not hang it.
  const redis = createClient({ url: redisUrl, socket: { connectTimeout: 3_000, reconnectStrategy: false } });
  try {
    await redis.connect().catch((error) => {
      throw new Error(
        `no Redis answers at ${withoutPassword(redisUrl)} (${error.message}): start one with ` +
          'npm run services:start redis (or docker compose up -d redis), or set REDIS_URL',
      );
    });
    // A fresh database must not replay requests that earlier runs left on the topic.
    await skipOldRecords(admin, TOPIC, [ISSUER_GROUP]);
    await skipOldOrderEvents(admin);
    progress('starting the order service');
    const app = await startAppProcess({
      environment: {
        EVENT_PUBLISHER: 'kafka',
        COUPON_QUEUE: 'redis',
        DB_DRIVER: 'mysql',
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        COUPON_QUEUE_BATCH_SIZE: String(BATCH_SIZE),
      },
    });
    try {
      await runDemo(context, app, { database, redis, redisUrl, redisPrefix });
    } finally {
      await app.stop();
    }
  } finally {
    await database.drop();
    if (redis.isOpen) {
      await deleteKeys(redis, `${redisPrefix}*`);
      await redis.close();
    }
  }
});

async function runDemo(context, app, { database, redis, redisUrl, redisPrefix }) {
  const { admin, step, say, table } = context;
  step('EVENT_PUBLISHER=kafka COUPON_QUEUE=redis: the app on Redis, Kafka and MySQL');
  say(
    `app on ${app.baseUrl}; MySQL database ${database.name}; Redis ${withoutPassword(redisUrl)}, keys ${redisPrefix}*`,
  );
  const campaigns = await getJson(app, '/coupon-campaigns');
  table(
    campaigns.map((campaign) => ({ ...campaign, discount: discountText(campaign.discount) })),
    ['id', 'name', 'discount', 'quantity', 'issuedCount', 'remaining', 'open'],
  );
  const campaign = campaigns.find(({ id }) => id === CAMPAIGN_ID);
  if (!campaign?.open || campaign.issuedCount !== 0)
    throw new Error(`campaign ${CAMPAIGN_ID} is not fresh and open`);
  const topicBefore = await logEndOffsets(admin, TOPIC);

  step(
    `The rush: ${USERS} users ask for campaign ${CAMPAIGN_ID}'s ${campaign.quantity} coupons at the same instant`,
  );
  const users = Array.from({ length: USERS }, (_, index) => FIRST_USER + index);
  const started = performance.now();
  const answers = await Promise.all(users.map((userId) => askForCoupon(app, userId, started)));
  const byStatus = countBy(answers, ({ status }) => status);
  say(`answer times counted from the moment the ${USERS} requests left:`);
  table(
    Object.entries(byStatus).map(([status, requests]) => ({
      'HTTP status': Number(status),
      requests,
      'median answer ms': median(answers.filter((a) => a.status === Number(status)).map((a) => a.ms)),
      'last answer ms': Math.max(...answers.filter((a) => a.status === Number(status)).map((a) => a.ms)),
    })),
  );
  const notAccepted = answers.filter(({ status }) => status !== 202);
  if (notAccepted.length > 0) {
    throw new Error(
      `${notAccepted.length} requests were not answered 202: ${JSON.stringify(notAccepted[0].body)}`,
    );
  }
  const byPosition = [...answers].sort((a, b) => a.body.position - b.body.position);
  say('the first places and the last ones (each answer names its place at once; the coupon comes later):');
  const shown = [...byPosition.slice(0, 3), ...byPosition.slice(-2)];
  table(
    shown.map(({ body, headers }) => ({
      position: body.position,
      userId: body.userId,
      status: body.status,
      requestId: body.requestId,
      Location: headers.get('location'),
    })),
  );
  const positions = byPosition.map(({ body }) => body.position);
  if (positions.some((position, index) => position !== index + 1)) {
    throw new Error(`the places are not 1..${USERS} once each: ${positions.join(',')}`);
  }
  say(`✓ ${USERS} × 202, places 1..${USERS} once each`);

  step('A user asks again: the same request, the same place, nothing queued');
  const again = byPosition[6];
  const second = await askForCoupon(app, again.body.userId, performance.now());
  table([
    {
      request: 'first',
      status: again.status,
      requestId: again.body.requestId,
      position: again.body.position,
    },
    {
      request: 'again',
      status: second.status,
      requestId: second.body.requestId,
      position: second.body.position,
    },
  ]);
  if (
    second.status !== 202 ||
    second.body.requestId !== again.body.requestId ||
    second.body.position !== again.body.position
  ) {
    throw new Error(`user ${again.body.userId}'s second request got ${JSON.stringify(second.body)}`);
  }
  say(`✓ user ${again.body.userId} keeps place ${again.body.position}`);

  step(`The coupon-issuer group works through the line: every request ends ISSUED or SOLD_OUT`);
  const outcomes = await waitFor(
    'an outcome for every request',
    async () => {
      const views = await Promise.all(
        byPosition.map(({ body }) =>
          getJson(app, `/coupon-campaigns/${CAMPAIGN_ID}/issue-requests/${body.requestId}`),
        ),
      );
      return views.every(({ status }) => status !== 'WAITING') ? views : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  const issued = outcomes.filter(({ status }) => status === 'ISSUED');
  const soldOut = outcomes.filter(({ status }) => status === 'SOLD_OUT');
  const lastIssued = issued.at(-1);
  table([
    ...issued.slice(0, 2).map(outcomeRow),
    { position: '…', userId: '', status: '', couponId: '' },
    ...[lastIssued, soldOut[0], soldOut[1]].map(outcomeRow),
    { position: '…', userId: '', status: '', couponId: '' },
    outcomeRow(soldOut.at(-1)),
  ]);
  const issuedPositions = issued.map(({ position }) => position);
  const expected = Array.from({ length: campaign.quantity }, (_, index) => index + 1);
  if (JSON.stringify(issuedPositions) !== JSON.stringify(expected)) {
    throw new Error(`ISSUED went to places ${issuedPositions.join(',')}, not 1..${campaign.quantity}`);
  }
  if (soldOut.length !== USERS - campaign.quantity) {
    throw new Error(`${soldOut.length} SOLD_OUT, expected ${USERS - campaign.quantity}`);
  }
  if (new Set(issued.map(({ couponId }) => couponId)).size !== issued.length) {
    throw new Error('two requests got the same coupon');
  }
  const after = (await getJson(app, '/coupon-campaigns')).find(({ id }) => id === CAMPAIGN_ID);
  say(
    `GET /coupon-campaigns: campaign ${CAMPAIGN_ID} issued ${after.issuedCount} of ${after.quantity}, remaining ${after.remaining}`,
  );
  if (after.issuedCount !== campaign.quantity || after.remaining !== 0)
    throw new Error('the campaign count is off');
  say(`✓ exactly ${campaign.quantity} ISSUED, to places 1..${campaign.quantity}; ${soldOut.length} SOLD_OUT`);

  step('An issued coupon is an ordinary coupon: the first in line spends it on an order');
  const winner = issued[0];
  const order = await app.post('/orders', {
    userId: winner.userId,
    items: [{ productId: 2, quantity: 1 }],
    couponId: winner.couponId,
  });
  if (order.status !== 201) {
    throw new Error(
      `POST /orders with coupon ${winner.couponId} answered ${order.status}: ${JSON.stringify(order.body)}`,
    );
  }
  const { totalAmount, discountAmount, paidAmount } = order.body;
  say(`POST /orders {userId: ${winner.userId}, one Wireless Mouse, couponId: ${winner.couponId}} → 201`);
  table([{ totalAmount, discountAmount, paidAmount }]);
  if (discountAmount !== campaign.discount.amount) {
    throw new Error(`the order took ${discountAmount} off, not the campaign's ${campaign.discount.amount}`);
  }

  step(`The scheduler's steps: up to ${BATCH_SIZE} requests each, in the line's order`);
  const steps = app.lines.filter(
    (line) => line.msg === 'issue requests published' && line.campaigns?.includes(CAMPAIGN_ID),
  );
  table(
    steps.map((line) => ({
      '+ms': line.time - steps[0].time,
      requests: line.count,
      positions: `${line.firstPosition}..${line.lastPosition}`,
    })),
  );
  const stepPositions = steps.flatMap((line) => [line.firstPosition, line.lastPosition]);
  if (stepPositions.some((position, index) => index > 0 && position < stepPositions[index - 1])) {
    throw new Error('a scheduler step published places older than the step before it');
  }

  step(`The records on ${TOPIC}, read back from the offsets noted before the rush`);
  const ours = new Set(answers.map(({ body }) => body.requestId));
  const records = (await readRecords(context, TOPIC, topicBefore, USERS)).filter((record) =>
    ours.has(JSON.parse(record.value).payload?.requestId),
  );
  const partitions = countBy(records, ({ partition }) => partition);
  table(
    Object.entries(partitions).map(([partition, count]) => {
      const inPartition = records.filter((record) => record.partition === Number(partition));
      return {
        partition: Number(partition),
        key: [...new Set(inPartition.map(({ key }) => key))].join(','),
        records: count,
        offsets: `${inPartition[0].offset}..${inPartition.at(-1).offset}`,
        positions: `${payloadOf(inPartition[0]).position}..${payloadOf(inPartition.at(-1)).position}`,
      };
    }),
  );
  if (records.length !== USERS) throw new Error(`${records.length} records of the rush, expected ${USERS}`);
  if (Object.keys(partitions).length !== 1)
    throw new Error('the rush is spread over more than one partition');
  const inOffsetOrder = records.map((record) => payloadOf(record).position);
  if (inOffsetOrder.some((position, index) => position !== index + 1)) {
    throw new Error(`the records are not in queue order: positions ${inOffsetOrder.join(',')}`);
  }
  say(`✓ one record per request, all with key "${CAMPAIGN_ID}" in one partition, in queue order`);

  step(`The ${ISSUER_GROUP} group committed every record: lag 0`);
  const [lag] = await settledLags(admin, [ISSUER_GROUP], TOPIC);
  table(
    lag.partitions.map(({ partition, committed, logEnd, lag: behind }) => ({
      group: ISSUER_GROUP,
      partition,
      committed: String(committed),
      'log-end': String(logEnd),
      lag: behind,
    })),
  );
  if (lag.total !== 0) throw new Error(`${ISSUER_GROUP} is ${lag.total} records behind`);
  say(`✓ ${ISSUER_GROUP} lag 0`);

  step(`What the line left in Redis (keys ${redisPrefix}*)`);
  // KEYS walks the whole keyspace: fine on a development Redis, never on a busy one (SCAN there).
  const keys = (await redis.keys(`${redisPrefix}*`)).sort();
  const rows = [];
  for (const key of keys)
    rows.push({ key: key.slice(redisPrefix.length), ...(await describeKey(redis, key)) });
  table(rows, ['key', 'type', 'entries']);
  const entriesOf = (name) => rows.find(({ key }) => key === name)?.entries ?? 0;
  if (entriesOf('coupon-requests:waiting') !== 0 || entriesOf('coupon-requests:in-flight') !== 0) {
    throw new Error('requests are still waiting or in flight');
  }
  say('no coupon-requests:waiting or :in-flight key: Redis drops a sorted set once it is empty');
  say('✓ nothing waiting, nothing in flight: every request was published and acknowledged');
}

async function describeKey(redis, key) {
  const type = await redis.type(key);
  const entries = { hash: () => redis.hLen(key), zset: () => redis.zCard(key), string: async () => 1 }[type];
  return { type, entries: entries ? await entries() : '-' };
}

async function deleteKeys(redis, pattern) {
  const keys = await redis.keys(pattern);
  if (keys.length > 0) await redis.del(keys);
}

async function askForCoupon(app, userId, started) {
  const { status, headers, body } = await app.post(`/coupon-campaigns/${CAMPAIGN_ID}/issue-requests`, {
    userId,
  });
  return { userId, status, headers, body, ms: Math.round(performance.now() - started) };
}

async function getJson(app, path) {
  const { status, body } = await app.get(path);
  if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

function outcomeRow(view) {
  return {
    position: view.position,
    userId: view.userId,
    status: view.status,
    couponId: view.couponId,
  };
}

function payloadOf(record) {
  return JSON.parse(record.value).payload;
}

function discountText(discount) {
  return discount.type === 'PERCENTAGE' ? `${discount.percent} %` : `${discount.amount} off`;
}

function countBy(items, keyOf) {
  const counts = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
