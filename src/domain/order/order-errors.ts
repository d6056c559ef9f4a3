import { DomainError } from '../shared/domain-error.js';

export class OrderNotFound extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';

  constructor(readonly orderId: string) {
    super(`Order ${orderId} does not exist`);
  }
}

export class InvalidOrder extends DomainError {
  readonly code = 'INVALID_ORDER';
}
