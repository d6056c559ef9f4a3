import { describe, expect, it } from '@jest/globals';
import {
  couponRushTable,
  couponRushTargets,
  couponRushVerdict,
  type CouponRushRun,
} from '../../bench/support/coupon-rush-report.mjs';

// The bench's headline about the coupon rush is one sentence. It must say what this run measured, never
// the original system's figures, and admit it when the direct design did not fail at all.

const options = { clientTimeoutMs: 10_000 };

function aRush(design: 'direct' | 'queue', overrides: Partial<CouponRushRun> = {}): CouponRushRun {
  return {
    design,
    round: 1,
    requests: 1_000,
    answered: 1_000,
    failed: 0,
    timedOut: 0,
    answers: design === 'direct' ? { 201: 100, 409: 900 } : { 202: 1_000 },
    p50Ms: 1_200,
    p99Ms: design === 'direct' ? 3_500 : 1_400,
    lastCouponMs: design === 'direct' ? 1_100 : 3_300,
    settledMs: 7_000,
    issued: 100,
    outOfOrder: design === 'direct' ? null : 0,
    ...overrides,
  };
}

describe('the coupon rush verdict', () => {
  it('reports the failure rates this run measured, as the original system did', () => {
    const verdict = couponRushVerdict(
      [aRush('direct', { failed: 150, timedOut: 140, answered: 850 }), aRush('queue', { failed: 1 })],
      options,
    );

    expect(verdict).toContain('**Coupon failures fell from 15.0 % to 0.10 %**');
    expect(verdict).toContain('150 of 1000 requests direct, 1 of 1000 with the queue');
  });

  it('says so when neither design failed, and shows how they differ in time instead', () => {
    const verdict = couponRushVerdict([aRush('direct'), aRush('queue')], options);

    expect(verdict).toContain('**No request failed in either design on this machine**');
    expect(verdict).toContain('cannot repeat "coupon failures fell from 15 % to 0.1 %"');
    expect(verdict).toContain('They differ in time instead: the worst p99 of an answer was 3500 ms direct');
    expect(verdict).toContain('after at most 1.1 s direct and 3.3 s with the queue');
    expect(verdict).not.toContain('fell from 0.0');
  });

  it('does not claim the queue helped when it failed more', () => {
    const verdict = couponRushVerdict(
      [aRush('direct', { failed: 1 }), aRush('queue', { failed: 5 })],
      options,
    );

    expect(verdict).toContain('**Coupon failures did not fall from 0.10 % to 0.50 %**');
  });

  it('adds the rushes of every round before it compares', () => {
    const verdict = couponRushVerdict(
      [
        aRush('direct', { failed: 300 }),
        aRush('queue'),
        aRush('direct', { round: 2 }),
        aRush('queue', { round: 2 }),
      ],
      options,
    );

    expect(verdict).toContain('from 15.0 % to 0.0 %');
    expect(verdict).toContain('300 of 2000 requests direct, 0 of 2000 with the queue; 2 rushes of each');
  });
});

describe('the coupon rush tables', () => {
  it('shows a p99 that landed on a timed-out request as above the timeout, not as a number', () => {
    const rushTable = couponRushTable(
      [aRush('direct', { p99Ms: Infinity, timedOut: 20, failed: 20 })],
      options,
    );

    expect(rushTable).toContain('> 10000');
    expect(rushTable).toContain('n/a (no queue)');
  });

  it("meets the queue's target at the original system's 0.1 % and misses it above", () => {
    const verdictOf = (failed: number) =>
      couponRushTargets([aRush('direct'), aRush('queue', { failed })])[0]?.[2];

    expect(verdictOf(1)).toBe('met');
    expect(verdictOf(2)).toBe('**missed**');
  });
});
