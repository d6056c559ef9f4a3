import { describe, expect, it } from '@jest/globals';
import { readAtMostEvery } from '../../../src/infrastructure/observability/metrics/read-at-most-every.js';
import { deferred } from '../../support/deferred.js';

describe('readAtMostEvery', () => {
  it('shares a read in flight, and its answer for the interval after it started', async () => {
    let clock = 0;
    let reads = 0;
    const firstReadDone = deferred();
    const read = readAtMostEvery(
      1_000,
      () => {
        reads += 1;
        return reads === 1 ? firstReadDone.promise.then(() => 1) : Promise.resolve(reads);
      },
      () => clock,
    );

    const first = read();
    clock = 5_000; // still in flight: shared, however long it takes
    const second = read();
    firstReadDone.resolve();

    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(reads).toBe(1);
    expect(await read()).toBe(2); // settled, and started 5 s ago: read again
    clock = 5_999;
    expect(await read()).toBe(2); // within 1 s of that read's start
  });

  it('does not keep a failed read: the next call tries again', async () => {
    let reads = 0;
    const read = readAtMostEvery(60_000, async () => {
      reads += 1;
      if (reads === 1) throw new Error('broker down');
      return 'lag';
    });

    await expect(read()).rejects.toThrow('broker down');
    expect(await read()).toBe('lag');
  });
});
