// The "key → partition" box: the partition kafkajs's producer picks for a key, computed by kafkajs's own
// default partitioner (murmur2 of the key, made positive, modulo the partition count: chapter 03).
import kafkajs from 'kafkajs';

const defaultPartitioner = kafkajs.Partitioners.DefaultPartitioner();

/** The partition a record with `key` goes to on a topic of `partitionCount` partitions. */
export function partitionForKey(key, partitionCount) {
  // A key decides on its own: the partitioner needs the partitions only to count them.
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionId,
    leader: 0,
  }));
  return defaultPartitioner({ topic: 'lab', partitionMetadata, message: { key } });
}
