export interface ComponentHealth {
  readonly status: 'UP' | 'DOWN';
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Port: one part of the running service (the database, the event publisher) that can say how it is. */
export abstract class HealthIndicator {
  abstract readonly component: string;

  abstract check(): Promise<ComponentHealth>;
}
