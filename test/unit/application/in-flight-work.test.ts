import { describe, expect, it } from '@jest/globals';
import { InFlightWork } from '../../../src/application/shared/in-flight-work.js';
import { deferred } from '../../support/deferred.js';

describe('InFlightWork', () => {
  it('drains work that was started while it was draining', async () => {
    const work = new InFlightWork();
    const first = deferred();
    const second = deferred();
    const finished: string[] = [];
    work.track(first.promise.then(() => finished.push('first')));

    const drained = work.drain().then(() => finished.push('drained'));
    work.track(second.promise.then(() => finished.push('second')));
    first.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    second.resolve();
    await drained;

    expect(finished).toEqual(['first', 'second', 'drained']);
  });

  it('is not stopped by work that fails', async () => {
    const work = new InFlightWork();
    const failing = Promise.reject(new Error('listener failed'));
    failing.catch(() => 'its owner handles the error');
    work.track(failing);
    work.track(Promise.resolve());

    await expect(work.drain()).resolves.toBeUndefined();
  });
});
