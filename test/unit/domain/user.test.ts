import { describe, expect, it } from '@jest/globals';
import { InsufficientPoints } from '../../../src/domain/user/user-errors.js';
import { aUser } from '../../support/builders.js';

describe('User', () => {
  it('pays with points', () => {
    const user = aUser().withPoints(10_000).build();

    user.payWithPoints(7_500);

    expect(user.points).toBe(2_500);
  });

  it('refuses to pay more than the balance and keeps it', () => {
    const user = aUser().withId(3).withPoints(1_000).build();

    expect(() => user.payWithPoints(1_001)).toThrow(new InsufficientPoints(3, 1_001, 1_000));
    expect(user.points).toBe(1_000);
  });
});
