import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

export function benchKafka(brokers = process.env.KAFKA_BROKERS) {
  return new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Creates a topic of the bench's own (deleted by `drop()`), with as many partitions as the app's topic. */
export async function createBenchTopic(admin, name, partitions = 3) {
  await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
  await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
  return { name, drop: () => admin.deleteTopics({ topics: [name] }).catch(() => undefined) };
}
