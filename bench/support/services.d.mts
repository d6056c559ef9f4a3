/** One server the bench needs, as findServices found it. */
export interface FoundServer {
  readonly name: 'Kafka' | 'MySQL' | 'Redis';
  /** Its address, password hidden. */
  readonly address: string;
  /** `$VARIABLE`, `var/services/services.env` or `docker compose's address`. */
  readonly source: string;
  /** Why it does not answer; undefined when it does. */
  readonly failure: string | undefined;
}

export function findServices(written?: Readonly<Record<string, string>>): Promise<FoundServer[]>;
export function servicesMissingMessage(servers: readonly FoundServer[]): string;
