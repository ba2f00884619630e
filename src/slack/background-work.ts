import { within } from '../within';

/**
 * Work Greenlight does after Slack was answered: a flag reaction turned into a moment, open cards caught up with a
 * change of reviewers, stored reactions resumed. stop() waits for it (for a while) before the store closes, so none of
 * it fails half-way on a closed database; once stopping, new work is not started. Each piece is safe to skip: what it
 * would do is stored first (the reaction, the roster last shown) and taken up again at the next start.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  /** Runs `task` unless Greenlight is stopping, and returns its promise (its failure is still the caller's). */
  run(task: () => Promise<void>): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const result = task();
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return result;
  }

  /** Starts nothing more and waits up to `ms` for what runs; true when all of it finished. */
  async drain(ms: number): Promise<boolean> {
    this.stopping = true;
    if (this.running.size === 0) return true;
    return within(
      Promise.all([...this.running]).then(() => true),
      ms,
      () => false,
    );
  }

  /** Whether stop() has begun: long work (a loop over stored reactions) ends early, leaving the rest stored. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** How many pieces are running now. */
  get size(): number {
    return this.running.size;
  }
}
