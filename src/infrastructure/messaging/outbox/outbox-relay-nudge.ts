import { injectable } from 'inversify';

/**
 * How the outbox publisher tells this process's relay that rows have just committed, so that it polls at
 * once instead of at the end of its poll interval. A nudge is only a hint: a lost one (or a row written
 * by another instance, which nudges its own relay) costs at most one poll interval.
 */
@injectable()
export class OutboxRelayNudge {
  #nudged = false;
  #wake: (() => void) | undefined;

  /** Whether the relay is idle, in `wait`. */
  get waiting(): boolean {
    return this.#wake !== undefined;
  }

  /** Called after a commit that wrote outbox rows. */
  nudge(): void {
    this.#nudged = true;
    this.#wake?.();
  }

  /**
   * The relay's idle wait: resolves after `ms`, on `signal`'s abort, or at the first nudge. A nudge that
   * came while the relay was busy counts too: its rows may have committed just after the relay's claim.
   */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (!this.#nudged && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', wake);
          this.#wake = undefined;
          resolve();
        };
        const timer = setTimeout(wake, ms);
        signal.addEventListener('abort', wake);
        this.#wake = wake;
      });
    }
    this.#nudged = false;
  }
}
