/** A topic-partition's offset to commit: the next record to read, one past the last record handled. */
export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * The offsets a listener container has handled and not committed yet, per partition. The container hands
 * each partition's records over in offset order and stops at the first one it did not finish, so the last
 * record marked is the end of a contiguous run: committing one past it never skips a record.
 */
export class HandledOffsets {
  /** The last offset handled, per topic and partition: called for every record, so kept cheap. */
  readonly #lastHandled = new Map<string, Map<number, string>>();

  /** `offset` was handled (or sent to the dead-letter topic), and so was every record before it. */
  markHandled(topic: string, partition: number, offset: string): void {
    let partitions = this.#lastHandled.get(topic);
    if (partitions === undefined) this.#lastHandled.set(topic, (partitions = new Map<number, string>()));
    partitions.set(partition, offset);
  }

  /** What to commit now, once: a second call returns nothing until more records are handled. */
  takeUncommitted(): OffsetToCommit[] {
    const offsets = [...this.#lastHandled].flatMap(([topic, partitions]) =>
      // The committed offset is the next record to read, hence +1 (a 64-bit number: BigInt, not Number).
      [...partitions].map(([partition, offset]) => ({
        topic,
        partition,
        offset: (BigInt(offset) + 1n).toString(),
      })),
    );
    this.#lastHandled.clear();
    return offsets;
  }
}
