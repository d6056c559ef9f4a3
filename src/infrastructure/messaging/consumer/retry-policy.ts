/** How a listener container treats a handler that throws: try again, a little later each time, then give up. */
export class RetryPolicy {
  constructor(
    /** How many times the handler may run for one record, the first attempt included. */
    readonly maxAttempts: number,
    /** The wait after the first failure; it doubles after each further failure, up to `maxBackoffMs`. */
    readonly initialBackoffMs: number,
    readonly maxBackoffMs: number,
  ) {}

  /** The wait before the next attempt, or `undefined` when `failedAttempt` was the last one allowed. */
  backoffAfter(failedAttempt: number): number | undefined {
    if (failedAttempt >= this.maxAttempts) return undefined;
    return Math.min(this.initialBackoffMs * 2 ** (failedAttempt - 1), this.maxBackoffMs);
  }
}
