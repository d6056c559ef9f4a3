import { describe, expect, it } from '@jest/globals';
import { HandledOffsets } from '../../../../../src/infrastructure/messaging/kafka/handled-offsets.js';

describe('HandledOffsets', () => {
  it('commits one past the last record handled, per partition, and nothing for untouched partitions', () => {
    const handled = new HandledOffsets();
    handled.markHandled('orders', 0, '4');
    handled.markHandled('orders', 0, '5');
    handled.markHandled('orders', 2, '17');

    expect(handled.takeUncommitted()).toEqual([
      { topic: 'orders', partition: 0, offset: '6' },
      { topic: 'orders', partition: 2, offset: '18' },
    ]);
  });

  it('hands each offset over once: after a take, nothing until more records are handled', () => {
    const handled = new HandledOffsets();
    handled.markHandled('orders', 1, '0');
    handled.takeUncommitted();

    expect(handled.takeUncommitted()).toEqual([]);
    handled.markHandled('orders', 1, '1');
    expect(handled.takeUncommitted()).toEqual([{ topic: 'orders', partition: 1, offset: '2' }]);
  });

  it('counts past 2^53 exactly: offsets are 64-bit', () => {
    const handled = new HandledOffsets();
    handled.markHandled('orders', 0, '9007199254740993');

    expect(handled.takeUncommitted()).toEqual([
      { topic: 'orders', partition: 0, offset: '9007199254740994' },
    ]);
  });
});
