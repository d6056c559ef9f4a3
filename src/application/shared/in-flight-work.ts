/** Keeps track of work that nobody awaits (fire-and-forget), so that shutdown can wait for it to finish. */
export class InFlightWork {
  readonly #running = new Set<Promise<unknown>>();

  track(work: Promise<unknown>): void {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
  }

  /** Resolves once all tracked work has settled, including work started while waiting. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) {
      await Promise.allSettled(this.#running);
    }
  }
}
