/**
 * Turns for long synchronous work, one per turn of the event loop. The delivery worker starts up to 16 rows at once,
 * and each runs synchronously until its first wait: sixteen App Home renders of a busy reviewer (a few hundred ms
 * each) ran back to back and held every request behind them for seconds. Each waits for the turn before it, then for
 * the event loop to go round once (Slack's requests are read in between), and only then does its work.
 */
export class OneAtATime {
  private last: Promise<void> = Promise.resolve();

  /** Resolves when it is the caller's turn; the next caller's turn comes one turn of the event loop after. */
  turn(): Promise<void> {
    const mine = this.last.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.last = mine;
    return mine;
  }
}
