/** Sends records in one request and returns, in the same order, what became of each. */
export type SendRequest<Item, Receipt> = (items: readonly Item[]) => Promise<readonly Receipt[]>;

export interface SendCoalescerOptions<Item> {
  /**
   * How long the first waiting record waits for others before its request leaves (the Java producer's
   * `linger.ms`). 0 still coalesces: the request leaves on the next turn of the event loop, with every
   * record added before it.
   */
  readonly lingerMs: number;
  /** A request carries at most this many records; a full batch leaves at once (Java's `batch.size`). */
  readonly maxRecordsPerRequest: number;
  /** Records of different groups never share a request; by default, all records are of one group. */
  readonly groupOf?: (item: Item) => unknown;
}

interface Waiting<Item, Receipt> {
  readonly item: Item;
  readonly resolve: (receipt: Receipt) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Turns many concurrent one-record sends into few requests. One request is in flight at a time; records
 * added meanwhile wait and leave together in the next one, so the busier the callers, the bigger the
 * requests. Records leave in the order they were added. Each caller's promise settles with its own
 * record's fate: its receipt, or the error of the request that carried it.
 */
export class SendCoalescer<Item, Receipt> {
  #waiting: Waiting<Item, Receipt>[] = [];
  #firstWaitingSince = 0;
  #timer: { cancel(): void } | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(
    private readonly send: SendRequest<Item, Receipt>,
    private readonly options: SendCoalescerOptions<Item>,
  ) {}

  add(item: Item): Promise<Receipt> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) this.#firstWaitingSince = performance.now();
      this.#waiting.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Sends what is waiting without lingering, and resolves once every request has settled. */
  async drain(): Promise<void> {
    while (this.#inFlight !== undefined || this.#waiting.length > 0) {
      if (this.#inFlight === undefined) this.#flush();
      await this.#inFlight;
    }
  }

  #schedule(): void {
    // The request in flight schedules the next one when it ends.
    if (this.#inFlight !== undefined) return;
    if (this.#waiting.length >= this.options.maxRecordsPerRequest) {
      this.#flush();
      return;
    }
    if (this.#timer !== undefined) return;
    const lingerLeft = this.options.lingerMs - (performance.now() - this.#firstWaitingSince);
    this.#timer = lingerLeft > 0 ? after(lingerLeft, () => this.#flush()) : nextTurn(() => this.#flush());
  }

  #flush(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#inFlight !== undefined || this.#waiting.length === 0) return;
    const batch = this.#waiting.splice(0, this.#nextRequestLength());
    this.#firstWaitingSince = performance.now();
    this.#inFlight = this.#sendAndSettle(batch).then(() => {
      this.#inFlight = undefined;
      if (this.#waiting.length > 0) this.#schedule();
    });
  }

  /** The waiting records the next request takes: the oldest ones, as long as they share a group. */
  #nextRequestLength(): number {
    const { groupOf, maxRecordsPerRequest } = this.options;
    const limit = Math.min(maxRecordsPerRequest, this.#waiting.length);
    if (groupOf === undefined) return limit;
    const group = groupOf(this.#waiting[0]!.item);
    let length = 1;
    while (length < limit && groupOf(this.#waiting[length]!.item) === group) length += 1;
    return length;
  }

  async #sendAndSettle(batch: readonly Waiting<Item, Receipt>[]): Promise<void> {
    try {
      const receipts = await this.send(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => waiting.resolve(receipts[index] as Receipt));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

function after(ms: number, run: () => void): { cancel(): void } {
  const timer = setTimeout(run, ms);
  return { cancel: () => clearTimeout(timer) };
}

// setImmediate, not process.nextTick: it runs after the I/O callbacks already due, so the publishes they
// make join this request.
function nextTurn(run: () => void): { cancel(): void } {
  const immediate = setImmediate(run);
  return { cancel: () => clearImmediate(immediate) };
}
