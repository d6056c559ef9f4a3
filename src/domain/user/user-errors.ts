import { DomainError } from '../shared/domain-error.js';

export class UserNotFound extends DomainError {
  readonly code = 'USER_NOT_FOUND';

  constructor(readonly userId: number) {
    super(`User ${userId} does not exist`);
  }
}

export class InsufficientPoints extends DomainError {
  readonly code = 'INSUFFICIENT_POINTS';

  constructor(
    readonly userId: number,
    readonly required: number,
    readonly available: number,
  ) {
    super(`User ${userId} has ${available} points, ${required} required`);
  }
}
