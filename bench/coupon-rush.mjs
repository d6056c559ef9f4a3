import { setTimeout as sleep } from 'node:timers/promises';
import { skipOldRecords } from '../scripts/support/order-topic.mjs';
import { startApp } from './support/app.mjs';
import { createBenchDatabase } from './support/bench-data.mjs';
import { COUPON_ISSUE_REQUESTED_TOPIC, CouponCampaignRow, CouponRow } from './support/built-service.mjs';
import { createScratchRedisPrefix } from './support/redis.mjs';
import { progress, progressDone, quantile } from './support/stats.mjs';

export const RUSH_USERS = 1_000;
export const RUSH_COUPONS = 100;
/** A request with no answer after this long has failed: the user gave up, as a browser or gateway would. */
export const CLIENT_TIMEOUT_MS = 10_000;

/** The "before" design first, as the chapter tells it; each round runs both, one after the other. */
export const RUSH_DESIGNS = [
  {
    design: 'direct',
    label: 'direct: row lock inside the request',
    environment: { COUPON_QUEUE: 'direct' },
  },
  {
    design: 'queue',
    label: 'queue: Redis → Kafka → issuer',
    environment: { COUPON_QUEUE: 'redis' },
    usesRedis: true,
  },
];

const COUPON_ISSUER_GROUP = 'coupon-issuer';
const RUSH_CAMPAIGN_ID = 1;
// A small campaign of its own warms up every part of the path (scripts, producer, consumer group, issuer)
// before the rush, as in a service that has been running for a while; the rush campaign stays untouched.
const WARMUP_CAMPAIGN_ID = 2;
const WARMUP_USERS = 40;
const WARMUP_COUPONS = 20;
const OUTCOMES_TIMEOUT_MS = 120_000;
const POLL_CONCURRENCY = 16;

/**
 * The coupon rush: RUSH_USERS distinct users ask at the same instant for a campaign of RUSH_COUPONS
 * coupons, once per design per round. Every rush runs on an app, a MySQL database and a Redis key prefix
 * of its own. Unlike the rest of the bench it checks what it measures: a rush that issues anything but
 * exactly RUSH_COUPONS coupons, to distinct users, or (queue) not to the first RUSH_COUPONS places, throws.
 */
export async function benchCouponRush({ admin, rounds, designs = RUSH_DESIGNS }) {
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    for (const design of designs) {
      const run = await rushOnce(design, { admin, round });
      runs.push(run);
      progressDone(
        `coupon rush ${round}/${rounds}, ${design.design.padEnd(6)} ` +
          `${run.answered}/${run.requests} answered, ${run.failed} failed, ` +
          `p50 ${formatMs(run.p50Ms)} ms p99 ${formatMs(run.p99Ms)} ms, ` +
          `last coupon after ${formatMs(run.lastCouponMs)} ms, ${run.issued} issued`,
      );
    }
  }
  return runs;
}

async function rushOnce(design, { admin, round }) {
  const name = `coupon rush ${round}, ${design.design}`;
  progress(`${name}: a database with ${RUSH_USERS} users and a campaign of ${RUSH_COUPONS} coupons`);
  // The prefix holds nothing until the app writes; the database exists from here, so the rest is inside
  // the try: whatever fails, the finally deletes both.
  const redis = design.usesRedis ? await createScratchRedisPrefix('bench-rush') : undefined;
  const database = await createRushDatabase(design.design);
  let app;
  try {
    await skipOldRecords(admin, COUPON_ISSUE_REQUESTED_TOPIC, [COUPON_ISSUER_GROUP]);
    app = await startApp(`coupon-rush-${design.design}`, {
      EVENT_PUBLISHER: 'kafka',
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
      // A member that had to be killed leaves its group after 6 s instead of 30: the next run starts
      // sooner.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      // In a rush that goes right no record fails, so retries change nothing measured; but a record
      // another run (a demo, a test) sent to the same topic fails here, and would hold the partition for
      // seconds.
      CONSUMER_MAX_ATTEMPTS: '1',
      ...design.environment,
      ...redis?.environment,
    });
    progress(`${name}: warming up (${WARMUP_USERS} requests for a campaign of its own)`);
    const warmUp = await requestCoupons(app.baseUrl, WARMUP_CAMPAIGN_ID, userIds(WARMUP_USERS));
    if (design.design === 'queue') await awaitOutcomes(app.baseUrl, WARMUP_CAMPAIGN_ID, warmUp, name);

    progress(`${name}: ${RUSH_USERS} users at once`);
    const startedAt = Date.now();
    const answers = await requestCoupons(app.baseUrl, RUSH_CAMPAIGN_ID, userIds(RUSH_USERS));
    progress(`${name}: every request answered or given up; waiting for the outcomes`);
    const outcomes =
      design.design === 'queue'
        ? await awaitOutcomes(app.baseUrl, RUSH_CAMPAIGN_ID, answers, name)
        : directOutcomes(answers);
    const settledMs = Date.now() - startedAt;
    const failures = answers.filter((answer) => answer.failure !== undefined);
    const answered = answers.filter((answer) => answer.failure === undefined);
    const issued = await issuedCoupons(app.baseUrl, database);
    const problems = [...issuedProblems(issued, outcomes)];
    const outOfOrder = design.design === 'queue' ? outOfQueueOrder(outcomes) : null;
    if (design.design === 'queue') problems.push(...queueOrderProblems(outcomes, outOfOrder));
    if (problems.length > 0) {
      throw new Error(
        `${name}: the campaign of ${RUSH_COUPONS} coupons went wrong:\n  - ${problems.join('\n  - ')}\n` +
          `  The users got: ${JSON.stringify(tally(answered.map((answer) => answer.status)))}; ` +
          `failures: ${JSON.stringify(tally(failures.map((answer) => answer.failure)))}`,
      );
    }
    const latencies = answers.map((answer) => (answer.failure === 'timed out' ? Infinity : answer.ms));
    return {
      design: design.design,
      label: design.label,
      round,
      requests: answers.length,
      answered: answered.length,
      failed: failures.length,
      timedOut: failures.filter((answer) => answer.failure === 'timed out').length,
      failures: tally(failures.map((answer) => answer.failure)),
      answers: tally(answered.map((answer) => answer.status)),
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      lastCouponMs: issued.lastIssuedAt - startedAt,
      settledMs,
      issued: issued.coupons.length,
      outOfOrder: outOfOrder?.length ?? null,
    };
  } finally {
    await app?.stop(10_000);
    await database.drop();
    // Warned, not thrown: an unreachable Redis must not hide the error that stopped the rush.
    await redis
      ?.drop()
      .catch((error) => console.warn(`  could not delete the rush's Redis keys: ${error.message}`));
  }
}

/** The bench's users, and two open campaigns: the rush's and the warm-up's. */
async function createRushDatabase(design) {
  const database = await createBenchDatabase(`rush_${design}`, { buyers: RUSH_USERS });
  const now = Date.now();
  const campaign = (id, name, quantity) => ({
    id,
    name,
    discountType: 'FIXED',
    discountValue: 1_000,
    quantity,
    issuedCount: 0,
    opensAt: new Date(now - 60 * 60 * 1000),
    closesAt: new Date(now + 24 * 60 * 60 * 1000),
  });
  await database.database
    .em()
    .insertMany(CouponCampaignRow, [
      campaign(RUSH_CAMPAIGN_ID, `Bench rush: first ${RUSH_COUPONS}`, RUSH_COUPONS),
      campaign(WARMUP_CAMPAIGN_ID, 'Bench warm-up', WARMUP_COUPONS),
    ]);
  return database;
}

const userIds = (count) => Array.from({ length: count }, (_, index) => index + 1);

/**
 * Every user's POST at once, each on a connection of its own, as a crowd of browsers would. Resolves each
 * request's answer (status, body, milliseconds) or why it failed: a 5xx, the client's timeout, or a
 * connection the server refused or dropped. Any other status than the design's answers is a failure too.
 */
async function requestCoupons(baseUrl, campaignId, users) {
  return Promise.all(
    users.map(async (userId) => {
      const start = performance.now();
      const answer = { userId };
      try {
        const response = await fetch(`${baseUrl}/coupon-campaigns/${campaignId}/issue-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        answer.status = response.status;
        answer.body = await response.json().catch(() => undefined);
        if (response.status >= 500) answer.failure = `${response.status}`;
        else if (!isCouponAnswer(response.status, answer.body)) {
          answer.failure = `unexpected ${response.status} ${JSON.stringify(answer.body)}`;
        }
      } catch (error) {
        answer.failure = error.name === 'TimeoutError' ? 'timed out' : connectionFailure(error);
      }
      answer.ms = performance.now() - start;
      return answer;
    }),
  );
}

/** 202 with a place (queue), 201 with a coupon or 409 sold out (direct): the answers a user may get. */
function isCouponAnswer(status, body) {
  if (status === 202) return Number.isInteger(body?.position) && typeof body?.requestId === 'string';
  if (status === 201) return body?.status === 'ISSUED' && Number.isInteger(body?.couponId);
  return status === 409 && body?.error?.code === 'CAMPAIGN_SOLD_OUT';
}

function connectionFailure(error) {
  return `connection failed (${error.cause?.code ?? error.cause?.message ?? error.message})`;
}

/** In the direct design the answer is the outcome: a coupon (201) or none left (409). */
function directOutcomes(answers) {
  return answers
    .filter((answer) => !answer.failure)
    .map((answer) => ({
      userId: answer.userId,
      status: answer.status === 201 ? 'ISSUED' : 'SOLD_OUT',
      couponId: answer.body.couponId,
    }));
}

/**
 * Polls GET …/issue-requests/:requestId for every queued request until none is WAITING, as each user's
 * page would. Resolves their outcomes (with the place each had in the queue).
 */
async function awaitOutcomes(baseUrl, campaignId, answers, name) {
  const outcomes = [];
  let waiting = answers.filter((answer) => !answer.failure).map((answer) => answer.body);
  const deadline = Date.now() + OUTCOMES_TIMEOUT_MS;
  for (;;) {
    const stillWaiting = [];
    for (const request of waiting) {
      if (request.status === 'WAITING') stillWaiting.push(request);
      else outcomes.push(request);
    }
    if (stillWaiting.length === 0) return outcomes;
    if (Date.now() > deadline) {
      throw new Error(
        `${name}: ${stillWaiting.length} requests still WAITING after ${OUTCOMES_TIMEOUT_MS / 1000} s. ` +
          `Is another app in consumer group ${COUPON_ISSUER_GROUP}, or publishing to its topic? ` +
          'See var/bench/app-coupon-rush-queue.log.',
      );
    }
    progress(`${name}: ${outcomes.length}/${outcomes.length + stillWaiting.length} outcomes known`, {
      fraction: outcomes.length / (outcomes.length + stillWaiting.length),
    });
    await sleep(100);
    waiting = await mapConcurrently(stillWaiting, POLL_CONCURRENCY, async ({ requestId }) => {
      const response = await fetch(`${baseUrl}/coupon-campaigns/${campaignId}/issue-requests/${requestId}`);
      if (response.status !== 200) {
        throw new Error(`${name}: GET of request ${requestId} answered ${response.status}`);
      }
      return response.json();
    });
  }
}

async function mapConcurrently(items, concurrency, map) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * The rush campaign's coupons as the database holds them, what GET /coupon-campaigns says it issued, and
 * when the last one was issued (the coupon's issued_at, from the app's clock on this same machine).
 */
async function issuedCoupons(baseUrl, database) {
  const campaigns = await (await fetch(`${baseUrl}/coupon-campaigns`)).json();
  const campaign = campaigns.find((each) => each.id === RUSH_CAMPAIGN_ID);
  const coupons = await database.database.em().find(CouponRow, { campaign: RUSH_CAMPAIGN_ID });
  return {
    reported: campaign?.issuedCount,
    coupons: coupons.map((coupon) => ({ id: coupon.id, userId: userIdOf(coupon) })),
    lastIssuedAt: Math.max(...coupons.map((coupon) => new Date(coupon.issuedAt).getTime())),
  };
}

/** The coupon row's user: a reference (the id inside) or, unpopulated, the id itself. */
const userIdOf = (coupon) => (typeof coupon.user === 'object' ? coupon.user.id : coupon.user);

/**
 * The campaign's figure, the database and the users' answers must all say: exactly RUSH_COUPONS coupons,
 * each to a different user.
 */
function* issuedProblems({ reported, coupons }, outcomes) {
  if (reported !== RUSH_COUPONS) yield `GET /coupon-campaigns says ${reported} issued`;
  if (coupons.length !== RUSH_COUPONS) yield `the database holds ${coupons.length} coupons of the campaign`;
  const owners = new Set(coupons.map((coupon) => coupon.userId));
  if (owners.size !== coupons.length) yield `${coupons.length - owners.size} users hold two coupons of it`;
  const ownerOf = new Map(coupons.map((coupon) => [coupon.id, coupon.userId]));
  const told = outcomes.filter((outcome) => outcome.status === 'ISSUED');
  const wrong = told.filter((outcome) => ownerOf.get(outcome.couponId) !== outcome.userId);
  if (wrong.length > 0) yield `${wrong.length} users were told of a coupon the database does not give them`;
}

/** The queue's promise broken: a coupon beyond the first RUSH_COUPONS places, or none inside them. */
function outOfQueueOrder(outcomes) {
  return outcomes.filter((outcome) => (outcome.status === 'ISSUED') !== outcome.position <= RUSH_COUPONS);
}

/** The queue's promise: each request its own place, and the first RUSH_COUPONS places get the coupons. */
function* queueOrderProblems(outcomes, outOfOrder) {
  const positions = outcomes.map((outcome) => outcome.position);
  const shared = positions.length - new Set(positions).size;
  if (shared > 0) yield `${shared} places in the queue were given to two requests`;
  if (outOfOrder.length > 0) {
    const shown = outOfOrder.slice(0, 5).map((outcome) => `place ${outcome.position} ${outcome.status}`);
    yield (
      `${outOfOrder.length} requests were served out of queue order (${shown.join(', ')}…): only the ` +
      `first ${RUSH_COUPONS} places may get a coupon`
    );
  }
}

function tally(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function formatMs(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return Number.isFinite(value) ? value.toFixed(0) : `> ${CLIENT_TIMEOUT_MS}`;
}
