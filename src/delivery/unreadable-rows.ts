import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import type { Store } from '../store/store';

/** How long a row of a kind this version does not know is left to a newer Greenlight on the same database. */
export const NEWER_KIND_GRACE_MS = 5 * 60_000;

/** Rows said to be left to a newer version, remembered so each is said once (dropped whole when this large). */
const REMEMBERED_MAX = 10_000;

/**
 * Rows whose notice this version cannot read, each on its own: a damaged one is given up; one of a newer version's
 * kind is left a few minutes to that version (an overlapping deploy, whose worker takes it within its poll), said
 * once, then given up (that version is gone: rolled back, or crashed). Meanwhile the rows behind it in its moment's
 * lane wait, and new rows are read past it.
 */
export class UnreadableRows {
  private readonly leftToNewer = new Set<number>();

  constructor(
    private readonly store: Store,
    private readonly logger: StructuredLogger,
  ) {}

  /** Handles the rows the last reads could not parse; returns the largest of their ids (0: none), to read past. */
  handle(now: number): number {
    const { store, logger } = this;
    const unreadable = store.outbox.takeUnreadable();
    const giveUp = unreadable.filter((row) => {
      if (row.damaged || now - row.createdAt >= NEWER_KIND_GRACE_MS) return true;
      if (!this.leftToNewer.has(row.id)) {
        if (this.leftToNewer.size >= REMEMBERED_MAX) this.leftToNewer.clear();
        this.leftToNewer.add(row.id);
        logger.log(LogLevel.WARN, 'outbox row left to a newer Greenlight: its notice kind is unknown here', { outboxId: row.id, error: row.why });
      }
      return false;
    });
    if (giveUp.length > 0) {
      for (const { id, why } of giveUp) logger.log(LogLevel.ERROR, 'outbox row given up: its notice cannot be read', { outboxId: id, error: why });
      store
        .batched(() => {
          for (const { id, why } of giveUp) store.outbox.giveUpUnreadable(id, now, why);
        })
        .catch((error: unknown) => logger.log(LogLevel.WARN, 'unreadable outbox rows not given up yet; tried again', { error: String(error) }));
    }
    // However many there are, they never fill the window new rows are read through.
    return unreadable.reduce((highest, { id }) => Math.max(highest, id), 0);
  }
}
