import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import type { Store } from '../store/store';
import { claimerIsGone, claimerName, readClaimer, type Claimer } from './claimer';

/** How often the worker looks at the other processes' claims: a gone process's rows wait at most this long. */
export const OTHER_PROCESSES_CHECK_MS = 5_000;

/**
 * What this worker learns of the other Greenlight processes delivering from the same database, from their claims.
 *
 * A process gone from this host gives its rows back at once, not when their lease runs out. That is needed at
 * start (a crash, then a restart) and afterwards too: in a deploy that starts the new process before the old one
 * exits, the old one is still running at the new one's start, and the posts it had in flight as it stopped would
 * otherwise hold their moments' lanes for the whole lease.
 *
 * A process still running is told to the log once: two processes on one database never send the same message, but
 * one started by mistake (`npm start` twice) is for the operator to stop.
 */
export class OtherProcesses {
  private readonly told = new Set<string>();
  private readonly self: string;

  constructor(
    private readonly store: Store,
    private readonly logger: StructuredLogger,
    private readonly me: Claimer,
    private readonly isRunning: (pid: number) => boolean,
  ) {
    this.self = claimerName(me);
  }

  check(now: number): void {
    let others: string[];
    try {
      others = this.store.outbox.claimers(now).filter((name) => name !== this.self);
    } catch (error) {
      // Their lease still runs out: nothing is lost, only later.
      this.logger.log(LogLevel.WARN, 'could not read the claims of other processes', { error: String(error) });
      return;
    }
    const gone = others.filter((name) => claimerIsGone(name, this.me, this.isRunning));
    if (gone.length > 0) this.takeBack(gone);
    for (const name of others) {
      if (gone.includes(name) || this.told.has(name)) continue;
      this.told.add(name);
      const other = readClaimer(name);
      this.logger.log(LogLevel.WARN, 'another Greenlight process delivers from this database too', {
        ...(other ? { host: other.host, pid: other.pid } : { claimer: name }),
        fix: 'expected while a deploy hands over, or when two run on purpose; otherwise stop one of them',
      });
    }
  }

  private takeBack(gone: readonly string[]): void {
    try {
      const freed = this.store.transaction(() => gone.reduce((rows, name) => rows + this.store.outbox.releaseAllOf(name), 0));
      // A post among them stays marked as possibly landed, so it is looked for before being posted again.
      if (freed > 0) this.logger.log(LogLevel.INFO, 'took back rows claimed by a stopped process', { rows: freed });
    } catch (error) {
      this.logger.log(LogLevel.WARN, 'could not take back rows claimed by a stopped process', { error: String(error) });
    }
  }
}
