import { InvalidValue } from './invalid-value.js';

export function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidValue(`${name} must be a positive integer, got ${value}`);
  }
}

export function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidValue(`${name} must be a non-negative integer, got ${value}`);
  }
}
