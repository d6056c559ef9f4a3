import { describe, expect, it } from '@jest/globals';
import { partitionForKey } from '../../../lab/key-partition.mjs';
import { javaDefaultPartition } from '../../support/servers/murmur2.js';

describe('the "key → partition" box', () => {
  it("puts each key where kafkajs's producer, and a Java producer, would", () => {
    const keys = ['', 'a', 'order-1', '6f1d7c1e-1b7e-4a6e-9d3c-0b8f1c2d3e4f', 'ключ', '🙂 emoji'];
    for (const partitions of [1, 3, 7]) {
      for (const key of keys)
        expect(partitionForKey(key, partitions)).toBe(javaDefaultPartition(key, partitions));
    }
  });

  it('spreads keys over every partition', () => {
    const used = new Set(Array.from({ length: 50 }, (_, i) => partitionForKey(`order-${i}`, 3)));
    expect([...used].sort()).toEqual([0, 1, 2]);
  });
});
