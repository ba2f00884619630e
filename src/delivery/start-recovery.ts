import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import type { Store } from '../store/store';
import { APP_REFUSED_RECORDED } from './failure';

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
