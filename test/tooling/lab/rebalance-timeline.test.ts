import { describe, expect, it } from '@jest/globals';
import { describeAssignment, rebalanceEvents, type GroupMember } from '../../../lab/rebalance-timeline.mjs';

const member = (memberId: string, assignment: Record<string, number[]>): GroupMember => ({
  memberId,
  clientId: `client-${memberId}`,
  host: '/127.0.0.1',
  assignment,
});

describe("the Rebalance timeline's diff of two group descriptions", () => {
  it('reports a member that appears as joined, and the one whose partitions change as assignment changed', () => {
    const before = { orders: { members: [member('a', { t: [0, 1, 2] })] } };
    const after = { orders: { members: [member('a', { t: [0, 1] }), member('b', { t: [2] })] } };

    expect(rebalanceEvents(before, after, 1000)).toEqual([
      expect.objectContaining({
        at: 1000,
        groupId: 'orders',
        change: 'assignment changed',
        memberId: 'a',
        from: 't: 0,1,2',
        assignment: 't: 0,1',
      }),
      expect.objectContaining({
        groupId: 'orders',
        change: 'joined',
        memberId: 'b',
        clientId: 'client-b',
        assignment: 't: 2',
      }),
    ]);
  });

  it('reports a member that disappears as left, also when its whole group is gone', () => {
    const before = {
      orders: { members: [member('a', { t: [0] }), member('b', { t: [1] })] },
      gone: { members: [member('c', { u: [0] })] },
    };
    const after = { orders: { members: [member('a', { t: [0] })] } };

    expect(
      rebalanceEvents(before, after, 0).map(
        ({ groupId, change, memberId }) => `${groupId} ${change} ${memberId}`,
      ),
    ).toEqual(['orders left b', 'gone left c']);
  });

  it('reports nothing when the members and their partitions stay (order of partitions aside)', () => {
    const before = { orders: { state: 'Stable', members: [member('a', { t: [2, 0] })] } };
    const after = { orders: { state: 'Stable', members: [member('a', { t: [0, 2] })] } };
    expect(rebalanceEvents(before, after, 0)).toEqual([]);
  });

  it('writes an assignment as topic: partitions, and "none" before any', () => {
    expect(describeAssignment({ b: [1], a: [2, 0], c: [] })).toBe('a: 0,2; b: 1');
    expect(describeAssignment({})).toBe('none');
  });
});
