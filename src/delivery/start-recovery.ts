import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import type { Store } from '../store/store';
import { claimerIsGone, type Claimer } from './claimer';
import { APP_REFUSED_RECORDED } from './failure';

/**
 * Rows a crashed process had claimed on this host go out now rather than when their lease runs out.
 * A post among them stays marked as possibly landed, so it is looked for before being posted again.
 */
export function takeBackClaimsOfGoneProcesses(
  store: Store,
  logger: StructuredLogger,
  now: number,
  self: Claimer,
  isRunning: (pid: number) => boolean,
): void {
  try {
    const freed = store.transaction(() =>
      store.outbox
        .claimers(now)
        .filter((name) => claimerIsGone(name, self, isRunning))
        .reduce((rows, name) => rows + store.outbox.releaseAllOf(name), 0),
    );
    if (freed > 0) logger.log(LogLevel.INFO, 'took back rows claimed by a stopped process', { rows: freed });
  } catch (error) {
    // Their lease still runs out: nothing is lost, only later.
    logger.log(LogLevel.WARN, 'could not take back rows claimed by a stopped process', { error: String(error) });
  }
}

/**
 * Called once Slack accepted the bot token (checked at start): rows held back while Slack refused the app (a revoked
 * token, a missing scope, fixed and restarted as the log said) go now, not after a backoff grown to minutes.
 */
export function retryWhatSlackRefusedTheAppFor(store: Store, logger: StructuredLogger, now: number): void {
  try {
    const rows = store.outbox.dueNowIfFailedWith(now, APP_REFUSED_RECORDED);
    if (rows > 0) logger.log(LogLevel.INFO, 'notices held back while Slack refused the app are retried now', { rows });
  } catch (error) {
    // They are retried at their time all the same.
    logger.log(LogLevel.WARN, 'could not retry at once the notices Slack refused the app for', { error: String(error) });
  }
}
