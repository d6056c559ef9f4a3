/** Port: the current time, so tests can fix it. */
export abstract class Clock {
  abstract now(): Date;
}
