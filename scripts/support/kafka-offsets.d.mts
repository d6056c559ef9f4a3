import type { Admin } from 'kafkajs';

/** Offsets keyed by partition. */
export type PartitionOffsets = Record<number, number>;

export interface PartitionLag {
  readonly partition: number;
  readonly logStart: number;
  /** -1: nothing committed yet. */
  readonly committed: number;
  readonly logEnd: number;
  readonly lag: number;
}

export declare function logEndOffsets(admin: Admin, topic: string): Promise<PartitionOffsets>;

export declare function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<PartitionOffsets>;

export declare function partitionLag(offsets: {
  readonly logStart: number;
  readonly committed: number;
  readonly logEnd: number;
}): number;

export declare function consumerLag(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<{ total: number; partitions: PartitionLag[] }>;

export interface GroupLag {
  readonly group: string;
  readonly total: number;
  readonly partitions: PartitionLag[];
}

export declare function settledLags(
  admin: Admin,
  groups: readonly string[],
  topic: string,
  options?: { timeoutMs?: number },
): Promise<GroupLag[]>;
