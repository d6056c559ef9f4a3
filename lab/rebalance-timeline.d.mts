export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly assignment: Record<string, number[]>;
}

export interface DescribedGroup {
  readonly state?: string;
  readonly members: readonly GroupMember[];
}

export interface RebalanceEvent {
  readonly at: number;
  readonly groupId: string;
  readonly change: 'joined' | 'left' | 'assignment changed';
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly assignment: string;
  readonly from?: string;
}

export declare function rebalanceEvents(
  before: Record<string, DescribedGroup>,
  after: Record<string, DescribedGroup>,
  at: number,
): RebalanceEvent[];

export declare function describeAssignment(assignment?: Record<string, number[]>): string;
