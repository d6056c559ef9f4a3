import { setTimeout as sleep } from 'node:timers/promises';

/** What `waitFor` throws when the time is up, so a caller can tell "not yet" from a real failure. */
export class WaitTimedOut extends Error {}

/**
 * Polls `probe` until it returns something other than `undefined` or `false`, and resolves with that.
 * Throws WaitTimedOut naming `what` after `timeoutMs`. The one poll loop of demos, bench, smoke tests,
 * workshop checkers and the real-server tests.
 */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new WaitTimedOut(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    }
    await sleep(intervalMs);
  }
}
