import { describe, expect, it } from '@jest/globals';
import { javaDefaultPartition } from '../../support/servers/murmur2.js';

// The oracle the Kafka tests trust must itself be right: these partitions follow from the murmur2
// values in Apache Kafka's own UtilsTest (e.g. murmur2("21") = -973932308).
describe('javaDefaultPartition', () => {
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('puts key %s where the Java client would (murmur2 = %i)', (key, javaMurmur2) => {
    const partitions = 1_000_003; // a large prime, so the check sees most bits of the hash

    expect(javaDefaultPartition(key, partitions)).toBe((javaMurmur2 & 0x7fffffff) % partitions);
  });
});
