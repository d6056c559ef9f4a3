import { Clock } from '../../../src/application/shared/clock.js';

export class FixedClock extends Clock {
  constructor(private readonly fixed: Date) {
    super();
  }

  now(): Date {
    return new Date(this.fixed);
  }
}
