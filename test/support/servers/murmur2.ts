/**
 * Kafka's default partitioner, written out from the Java client (`Utils.murmur2`, `toPositive`), as an
 * independent oracle: the tests check that kafkajs puts each key where a Java producer would.
 */
export function javaDefaultPartition(key: string, partitions: number): number {
  return toPositive(murmur2(Buffer.from(key, 'utf8'))) % partitions;
}

function murmur2(data: Buffer): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  const length = data.length;
  let h = seed ^ length;
  const fullWords = length >> 2;
  for (let i = 0; i < fullWords; i++) {
    let k = data.readInt32LE(i * 4);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = fullWords * 4;
  const remaining = length % 4;
  if (remaining >= 3) h ^= (data[tail + 2] ?? 0) << 16;
  if (remaining >= 2) h ^= (data[tail + 1] ?? 0) << 8;
  if (remaining >= 1) {
    h ^= data[tail] ?? 0;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

function toPositive(value: number): number {
  return value & 0x7fffffff;
}
