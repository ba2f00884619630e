import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import { StoreError } from '../store/open-database';
import type { Store } from '../store/store';

/** How often a running Greenlight checks that no newer one has upgraded its database. */
export const SCHEMA_CHECK_MS = 10_000;

/**
 * Stops this Greenlight (through `onFatal`) once a newer one has upgraded the database under it, as a deploy that
 * starts the new version before the old one exits does: the old code would go on reading and writing a schema it does
 * not know. (Its delivery stops at once: each claim checks the schema in its own transaction, so rows a migration
 * reopens are never claimed and given up again by a process that cannot send them.) Returns stop.
 */
export function watchForNewerSchema(store: Pick<Store, 'assertSchemaKnown'>, logger: StructuredLogger, onFatal: (error: Error) => void, everyMs = SCHEMA_CHECK_MS): () => void {
  const timer = setInterval(() => {
    try {
      store.assertSchemaKnown();
    } catch (error) {
      // Any other failure to read the version (a lock, a slow disk) is the next check's to see.
      if (!(error instanceof StoreError) || error.code !== 'newer_schema') return;
      clearInterval(timer);
      logger.log(LogLevel.ERROR, 'a newer Greenlight upgraded the database: this one stops and leaves it the work', { error: error.message });
      onFatal(new Error(`a newer Greenlight upgraded the database (${error.message})`));
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
