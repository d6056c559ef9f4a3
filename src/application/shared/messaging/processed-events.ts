/**
 * Port: the inbox of the idempotent consumers, which events each consumer group has already applied.
 * Must be called inside the transaction that applies the event's effect: the record and the effect then
 * commit together, or not at all.
 */
export abstract class ProcessedEvents {
  /**
   * Records that `consumerGroup` is applying `eventId`. Resolves `false` when it was recorded before
   * (a redelivery): the caller must then skip the effect. If another transaction is recording the same
   * event right now, this waits for it to commit or roll back, so two deliveries cannot both proceed.
   */
  abstract recordFirstDelivery(consumerGroup: string, eventId: string): Promise<boolean>;
}
