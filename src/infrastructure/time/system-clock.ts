import { injectable } from 'inversify';
import { Clock } from '../../application/shared/clock.js';

@injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
