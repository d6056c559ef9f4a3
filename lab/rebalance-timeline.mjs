// The Rebalance timeline's entries, found by comparing two successive descriptions of the consumer groups:
// a member id that appears has joined, one that disappears has left, one whose partitions differ has had
// its assignment changed. The broker keeps no history of rebalances; this diff is what the lab can see.

/**
 * The changes from `before` to `after` (each: groupId → { state, members: [{ memberId, clientId, host,
 * assignment: { topic: [partition…] } }] }), stamped with `at` (ms since the epoch). A group seen for
 * the first time has all its members join; a group that vanished has all of them leave.
 */
export function rebalanceEvents(before, after, at) {
  const events = [];
  for (const groupId of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const previous = membersById(before[groupId]);
    const current = membersById(after[groupId]);
    for (const [memberId, member] of current) {
      const was = previous.get(memberId);
      if (!was) {
        events.push(event(at, groupId, 'joined', member));
      } else if (describeAssignment(was.assignment) !== describeAssignment(member.assignment)) {
        events.push({
          ...event(at, groupId, 'assignment changed', member),
          from: describeAssignment(was.assignment),
        });
      }
    }
    for (const [memberId, member] of previous) {
      if (!current.has(memberId)) events.push(event(at, groupId, 'left', member));
    }
  }
  return events;
}

function membersById(group) {
  return new Map((group?.members ?? []).map((member) => [member.memberId, member]));
}

function event(at, groupId, change, { memberId, clientId, host, assignment }) {
  return { at, groupId, change, memberId, clientId, host, assignment: describeAssignment(assignment) };
}

/** `topic: 0,2; other: 1`, topics and partitions in order; "none" before the group has assigned any. */
export function describeAssignment(assignment = {}) {
  const parts = Object.keys(assignment)
    .sort()
    .filter((topic) => assignment[topic].length > 0)
    .map((topic) => `${topic}: ${[...assignment[topic]].sort((a, b) => a - b).join(',')}`);
  return parts.length === 0 ? 'none' : parts.join('; ');
}
