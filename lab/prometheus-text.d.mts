export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ServiceFigures {
  readonly publishingMode: string | undefined;
  readonly ordersPlaced: number | undefined;
  readonly eventsPublished: number | undefined;
  readonly failedSends: number | undefined;
  readonly outboxPendingRows: number | undefined;
  readonly outboxOldestPendingAgeSeconds: number | undefined;
  readonly outboxFailedRows: number | undefined;
  readonly recordsDeadLettered: number | undefined;
}

export declare function parsePrometheusText(text: string): Sample[];
export declare function serviceFigures(samples: readonly Sample[]): ServiceFigures;
