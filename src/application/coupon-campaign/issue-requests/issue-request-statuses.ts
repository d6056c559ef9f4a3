/** How a request ended: a coupon for the user, or none left. */
export type IssueOutcome =
  { readonly status: 'ISSUED'; readonly couponId: number } | { readonly status: 'SOLD_OUT' };

/**
 * Port: where the issuing consumer leaves each request's outcome for the user to read. Writing the same
 * outcome twice is harmless (a redelivered request recomputes it).
 */
export abstract class IssueRequestStatuses {
  abstract record(requestId: string, outcome: IssueOutcome): Promise<void>;

  /** `null` while the request is still waiting or on its way to the issuer. */
  abstract outcomeOf(requestId: string): Promise<IssueOutcome | null>;
}
