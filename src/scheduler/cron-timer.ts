import cron, { type ScheduledTask } from 'node-cron';

/** The longest one wait lasts before it is planned again (a timer cannot wait 25 days; node-cron's own limit is a day). */
const LONGEST_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * Calls `tick` at each time a cron expression names, read in UTC, on a timer of its own.
 *
 * node-cron's own scheduler reads the time through the host's local time (it drops the milliseconds with
 * Date#setMilliseconds), which in the hour a DST zone repeats when its clocks fall back reads an hour early. Planned in
 * the host's zone (its default, or that zone named), the next tick then came an hour later: no sweep for an hour.
 * Planned in UTC (`timezone: 'UTC'`, the usual advice), its timer spun on zero-length waits for that hour, and still ran
 * nothing. So node-cron only reads the expression's next time, in UTC, where no hour repeats or goes missing, and this
 * timer, which runs on the monotonic clock, waits for it.
 */
export class CronTimer {
  /** Never started: only asked for the expression's next time. Destroyed by stop (node-cron keeps it until then). */
  private readonly times: ScheduledTask;
  private timer: NodeJS.Timeout | undefined;

  constructor(expression: string, private readonly tick: () => void) {
    this.times = cron.createTask(expression, () => undefined, { timezone: 'UTC', name: 'deadline-scan' });
  }

  /** Waits for the expression's next time after the wall clock's now (planned again after a clock step). */
  plan(): void {
    clearTimeout(this.timer);
    const at = this.times.getNextRuns(1)[0]?.getTime();
    if (at === undefined) return;
    this.timer = setTimeout(() => {
      try {
        // A timer may fire a millisecond early, or after the clock was set back: not its time yet, the wait is planned
        // again.
        if (Date.now() >= at) this.tick();
      } finally {
        this.plan();
      }
    }, Math.min(at - Date.now(), LONGEST_WAIT_MS));
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.times.destroy();
  }
}
