import { describe, expect, it } from '@jest/globals';
import { takeTurns } from '../../../lab/broker-watch.mjs';

// The lab's bound on admin calls: each second it reads at most `limit` topics (or groups), busy ones first.
describe("the lab's turns of topics and groups", () => {
  const all = ['a', 'b', 'c', 'd', 'e'];

  it('takes the urgent ones first, then the others in turn, never more than the limit', () => {
    const turns = { topic: 0 };
    expect(takeTurns(all, ['d'], 3, turns, 'topic')).toEqual(['d', 'a', 'b']);
    expect(takeTurns(all, ['d'], 3, turns, 'topic')).toEqual(['d', 'c', 'e']);
    expect(takeTurns(all, ['d'], 3, turns, 'topic')).toEqual(['d', 'a', 'b']);
  });

  it('takes all when they fit, and ignores urgent names no longer listed', () => {
    expect(takeTurns(['a', 'b'], ['x', 'b'], 12, { group: 0 }, 'group')).toEqual(['b', 'a']);
  });
});
