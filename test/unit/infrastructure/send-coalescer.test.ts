import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SendCoalescer } from '../../../src/infrastructure/messaging/kafka/send-coalescer.js';
import { deferred } from '../../support/deferred.js';

/** A sender that records each request, answers `<item>@<request number>`, and can be held or failed. */
class FakeSender {
  readonly requests: string[][] = [];
  hold: Promise<void> = Promise.resolve();
  failRequest: number | undefined;

  readonly send = async (items: readonly string[]): Promise<string[]> => {
    this.requests.push([...items]);
    const request = this.requests.length;
    await this.hold;
    if (request === this.failRequest) throw new Error(`request ${request} refused`);
    return items.map((item) => `${item}@${request}`);
  };
}

describe('SendCoalescer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends what was added in one turn of the event loop as one request, in order, with linger 0', async () => {
    const sender = new FakeSender();
    const coalescer = new SendCoalescer(sender.send, { lingerMs: 0, maxRecordsPerRequest: 100 });

    const receipts = await Promise.all(['a', 'b', 'c'].map((item) => coalescer.add(item)));

    expect(sender.requests).toEqual([['a', 'b', 'c']]);
    expect(receipts).toEqual(['a@1', 'b@1', 'c@1']);
  });

  it('keeps one request in flight; what is added meanwhile leaves together in the next one', async () => {
    const sender = new FakeSender();
    const firstAnswered = deferred();
    sender.hold = firstAnswered.promise;
    const coalescer = new SendCoalescer(sender.send, { lingerMs: 0, maxRecordsPerRequest: 100 });

    const first = coalescer.add('a');
    await new Promise(setImmediate); // request 1 leaves with 'a' and waits for its answer
    const later = ['b', 'c', 'd'].map((item) => coalescer.add(item));
    await new Promise(setImmediate);
    expect(sender.requests).toEqual([['a']]);

    firstAnswered.resolve();

    expect(await Promise.all([first, ...later])).toEqual(['a@1', 'b@2', 'c@2', 'd@2']);
    expect(sender.requests).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('sends a full request at once, and never more than maxRecordsPerRequest records in one', async () => {
    const sender = new FakeSender();
    const coalescer = new SendCoalescer(sender.send, { lingerMs: 60_000, maxRecordsPerRequest: 3 });

    const receipts = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((item) => coalescer.add(item)));

    expect(sender.requests).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    expect(receipts).toEqual(['a@1', 'b@1', 'c@1', 'd@2', 'e@2', 'f@2']);
  });

  it('never puts records of different groups in one request, and keeps their order', async () => {
    const sender = new FakeSender();
    const coalescer = new SendCoalescer(sender.send, {
      lingerMs: 0,
      maxRecordsPerRequest: 100,
      groupOf: (item: string) => item[0],
    });

    const receipts = await Promise.all(['x1', 'x2', 'y1', 'x3'].map((item) => coalescer.add(item)));

    expect(sender.requests).toEqual([['x1', 'x2'], ['y1'], ['x3']]);
    expect(receipts).toEqual(['x1@1', 'x2@1', 'y1@2', 'x3@3']);
  });

  it('waits lingerMs after the first record for others to join its request', async () => {
    jest.useFakeTimers();
    const sender = new FakeSender();
    const coalescer = new SendCoalescer(sender.send, { lingerMs: 20, maxRecordsPerRequest: 100 });

    const first = coalescer.add('a');
    await jest.advanceTimersByTimeAsync(15);
    const second = coalescer.add('b');
    await jest.advanceTimersByTimeAsync(4);
    expect(sender.requests).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(sender.requests).toEqual([['a', 'b']]);
    expect(await Promise.all([first, second])).toEqual(['a@1', 'b@1']);
  });

  it("rejects every caller of a failed request with its error, and only those: the next request's resolve", async () => {
    const sender = new FakeSender();
    sender.failRequest = 1;
    const coalescer = new SendCoalescer(sender.send, { lingerMs: 0, maxRecordsPerRequest: 100 });

    const failed = [coalescer.add('a'), coalescer.add('b')];
    await new Promise(setImmediate);
    const next = coalescer.add('c');

    await expect(failed[0]).rejects.toThrow('request 1 refused');
    await expect(failed[1]).rejects.toThrow('request 1 refused');
    expect(await next).toBe('c@2');
  });

  it('drain sends lingering records without waiting out the linger, and waits for their answer', async () => {
    jest.useFakeTimers();
    const sender = new FakeSender();
    const coalescer = new SendCoalescer(sender.send, { lingerMs: 60_000, maxRecordsPerRequest: 100 });
    const settled: string[] = [];
    void coalescer.add('a').then((receipt) => settled.push(receipt));
    void coalescer.add('b').then((receipt) => settled.push(receipt));

    await coalescer.drain();

    expect(sender.requests).toEqual([['a', 'b']]);
    expect(settled).toEqual(['a@1', 'b@1']);
  });
});
