/** One rush, as bench/coupon-rush.mjs measures it. */
export interface CouponRushRun {
  readonly design: string;
  readonly round: number;
  readonly requests: number;
  readonly answered: number;
  /** Every request without an answer a user can act on: 5xx, refused connections and timeouts. */
  readonly failed: number;
  readonly timedOut: number;
  /** How many answers of each HTTP status. */
  readonly answers: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly lastCouponMs: number;
  readonly settledMs: number;
  readonly issued: number;
  /** `null` for the direct design: it has no queue to keep the order of. */
  readonly outOfOrder: number | null;
}

interface Options {
  readonly clientTimeoutMs: number;
}

export declare function couponRushTable(runs: readonly CouponRushRun[], options: Options): string;
export declare function couponRushSpreadTable(
  runs: readonly CouponRushRun[],
  designs: readonly { readonly design: string; readonly label: string }[],
  options: Options,
): string;
export declare function couponRushTargets(runs: readonly CouponRushRun[]): string[][];
export declare function couponRushVerdict(runs: readonly CouponRushRun[], options: Options): string;
