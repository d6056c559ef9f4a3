import { assertNonNegativeInteger, assertPositiveInteger } from '../shared/guards.js';
import { InsufficientPoints } from './user-errors.js';

export interface UserPrimitives {
  readonly id: number;
  readonly name: string;
  /** Points are the means of payment in this shop: one point pays one currency unit. */
  readonly points: number;
}

export class User {
  #points: number;

  private constructor(
    readonly id: number,
    readonly name: string,
    points: number,
  ) {
    assertPositiveInteger(id, 'user id');
    assertNonNegativeInteger(points, 'points');
    this.#points = points;
  }

  static fromPrimitives(primitives: UserPrimitives): User {
    return new User(primitives.id, primitives.name, primitives.points);
  }

  get points(): number {
    return this.#points;
  }

  /** Pays `amount` with the user's points; a balance never goes below zero. */
  payWithPoints(amount: number): void {
    assertNonNegativeInteger(amount, 'amount');
    if (amount > this.#points) {
      throw new InsufficientPoints(this.id, amount, this.#points);
    }
    this.#points -= amount;
  }

  toPrimitives(): UserPrimitives {
    return { id: this.id, name: this.name, points: this.#points };
  }
}
