/**
 * Port: the inbox of the idempotent consumers, which events each consumer group has already applied.
 * Must be called inside the transaction that applies the events' effect: the records and the effect then
 * commit together, or not at all.
 */
export abstract class ProcessedEvents {
  /**
   * Records that `consumerGroup` is applying each of `eventIds`, in one statement. Resolves the ids
   * recorded now; the others were recorded before (redeliveries): the caller must skip their effect. An
   * id that another transaction is recording right now waits for it to commit or roll back, so two
   * deliveries cannot both proceed.
   *
   * Throws `EventsRecordedMeanwhile` (and the transaction must roll back) in one case only: several ids at
   * once, some of which another transaction recorded between this one's read and its insert, when it can
   * no longer tell which rows are its own. Recording them one at a time always resolves.
   */
  abstract recordFirstDeliveries(
    consumerGroup: string,
    eventIds: readonly string[],
  ): Promise<ReadonlySet<string>>;
}

export class EventsRecordedMeanwhile extends Error {
  constructor(consumerGroup: string, recordedMeanwhile: number) {
    super(
      `${recordedMeanwhile} of these events were recorded for ${consumerGroup} by another transaction ` +
        'meanwhile: apply them one at a time',
    );
    this.name = 'EventsRecordedMeanwhile';
  }
}
