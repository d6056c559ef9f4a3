import { DomainError } from './domain-error.js';

/** A value that no aggregate may hold (a negative price, a zero quantity…). */
export class InvalidValue extends DomainError {
  readonly code = 'INVALID_VALUE';
}
