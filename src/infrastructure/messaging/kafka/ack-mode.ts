/**
 * When a listener container commits, named as Spring's `ContainerProperties.AckMode` names them.
 *
 * - `BATCH` (the default, as in Spring): once per fetched batch, the offset after the last record handled.
 *   One commit round trip per batch instead of per record; a crash redelivers at most the batch in hand,
 *   which an idempotent consumer shrugs off.
 * - `RECORD`: after each record. A crash redelivers at most one record, at one round trip per record.
 */
export const AckMode = { RECORD: 'record', BATCH: 'batch' } as const;
export type AckMode = (typeof AckMode)[keyof typeof AckMode];
