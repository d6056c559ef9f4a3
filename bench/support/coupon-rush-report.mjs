// The coupon rush's part of the page: its tables, its targets, and the one sentence that compares the
// two designs the way the original system reported it.
import { fixed, table } from './report.mjs';

/** Each rush: what the users got, how fast, and what the campaign issued. */
export function couponRushTable(runs, { clientTimeoutMs }) {
  return table(
    [
      'design',
      'rush',
      'answered',
      'failed',
      `timed out (> ${clientTimeoutMs / 1000} s)`,
      'p50 ms',
      'p99 ms',
      'last coupon issued',
      'all outcomes known',
      'coupons issued',
      'out of queue order',
    ],
    runs.map((run) => [
      run.design,
      run.round,
      `${run.answered} (${answerCounts(run.answers)})`,
      run.failed - run.timedOut,
      run.timedOut,
      rushMs(run.p50Ms, clientTimeoutMs),
      rushMs(run.p99Ms, clientTimeoutMs),
      seconds(run.lastCouponMs),
      seconds(run.settledMs),
      run.issued,
      run.outOfOrder ?? 'n/a (no queue)',
    ]),
  );
}

/** Per design, over every rush: the failure rate, and the spread of the figures between rushes. */
export function couponRushSpreadTable(runs, designs, { clientTimeoutMs }) {
  return table(
    ['design', 'rushes', 'failed or timed out', 'p99 ms (min – max)', 'last coupon issued (min – max)'],
    designs.map(({ design, label }) => {
      const mine = runs.filter((run) => run.design === design);
      const { failed, requests } = failureRate(mine);
      const p99s = mine.map((run) => run.p99Ms);
      const lastCoupons = mine.map((run) => run.lastCouponMs);
      return [
        label,
        mine.length,
        `${failed} of ${requests} (${percent(failed / requests)})`,
        `${rushMs(Math.min(...p99s), clientTimeoutMs)} – ${rushMs(Math.max(...p99s), clientTimeoutMs)}`,
        `${seconds(Math.min(...lastCoupons))} – ${seconds(Math.max(...lastCoupons))}`,
      ];
    }),
  );
}

/** Rows for the page's targets table. */
export function couponRushTargets(runs) {
  const queue = failureRate(runs.filter((run) => run.design === 'queue'));
  const issued = [...new Set(runs.map((run) => run.issued))].join(', ');
  return [
    [
      "coupon rush, queue: failed or timed out ≤ 0.1 % (the original system's figure)",
      `${queue.failed} of ${queue.requests}`,
      queue.failed / queue.requests <= 0.001 ? 'met' : '**missed**',
    ],
    [
      'coupon rush: exactly the quantity issued, to distinct users, in queue order (the bench stops otherwise)',
      `${issued} issued in each of ${runs.length} rushes, 0 out of order`,
      'met',
    ],
  ];
}

/**
 * The sentence the original system reported ("coupon failures fell from 15 % to 0.1 %"), from this run's
 * figures. Where neither design failed a request, it says so, and how they differ in time instead.
 */
export function couponRushVerdict(runs, { clientTimeoutMs }) {
  const direct = runs.filter((run) => run.design === 'direct');
  const queue = runs.filter((run) => run.design === 'queue');
  const before = failureRate(direct);
  const after = failureRate(queue);
  const rushes = `${direct.length} rush${direct.length === 1 ? '' : 'es'} of each`;
  const worst = (mine, key) => Math.max(...mine.map((run) => run[key]));
  const costs =
    `the worst p99 of an answer was ${rushMs(worst(direct, 'p99Ms'), clientTimeoutMs)} ms direct and ` +
    `${rushMs(worst(queue, 'p99Ms'), clientTimeoutMs)} ms with the queue; the last coupon was issued ` +
    `after at most ${seconds(worst(direct, 'lastCouponMs'))} direct and ` +
    `${seconds(worst(queue, 'lastCouponMs'))} with the queue`;
  if (before.failed === 0 && after.failed === 0) {
    return (
      `**No request failed in either design on this machine** (0 of ${before.requests} direct, 0 of ` +
      `${after.requests} with the queue; ${rushes}), so this run cannot repeat "coupon failures fell ` +
      `from 15 % to 0.1 %". They differ in time instead: ${costs}.`
    );
  }
  const fell = after.failed / after.requests < before.failed / before.requests;
  return (
    `**Coupon failures ${fell ? 'fell' : 'did not fall'} from ${percent(before.failed / before.requests)} ` +
    `to ${percent(after.failed / after.requests)}** (failed or timed out: ${before.failed} of ` +
    `${before.requests} requests direct, ${after.failed} of ${after.requests} with the queue; ${rushes}). ` +
    `Besides, ${costs}.`
  );
}

function failureRate(runs) {
  return {
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
  };
}

/** 0.1 % and 15.0 %, and below 1 % one more digit: 0.05 %. */
const percent = (share) => `${(100 * share).toFixed(share > 0 && share < 0.01 ? 2 : 1)} %`;
const seconds = (milliseconds) => `${fixed(milliseconds / 1000, 1)} s`;
const answerCounts = (answers) =>
  Object.entries(answers)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');

/** A latency that landed on a request the client gave up on is only known to exceed the timeout. */
function rushMs(value, clientTimeoutMs) {
  return Number.isFinite(value) ? fixed(value) : `> ${clientTimeoutMs}`;
}
