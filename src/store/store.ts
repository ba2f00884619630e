import type Database from 'better-sqlite3';
import { deadlinesTable } from './deadlines';
import { flagDraftsTable } from './flag-drafts';
import { GroupCommit } from './group-commit';
import { messagesTable } from './messages';
import { momentsTable } from './moments';
import { openDatabase, type OpenOptions } from './open-database';
import { outboxTable } from './outbox';
import { reactionIntakeTable } from './reaction-intake';
import { reviewsTable } from './reviews';
import { seenTable } from './seen';

/**
 * Greenlight's storage: named operations per table family over one SQLite connection.
 * `transaction` runs a function atomically (BEGIN IMMEDIATE, so two processes never interleave a
 * read-decide-write); better-sqlite3 is synchronous, so nothing inside may await.
 */
export interface Store {
  readonly moments: ReturnType<typeof momentsTable>;
  readonly reviews: ReturnType<typeof reviewsTable>;
  readonly deadlines: ReturnType<typeof deadlinesTable>;
  readonly outbox: ReturnType<typeof outboxTable>;
  readonly messages: ReturnType<typeof messagesTable>;
  readonly seen: ReturnType<typeof seenTable>;
  readonly reactionIntake: ReturnType<typeof reactionIntakeTable>;
  readonly flagDrafts: ReturnType<typeof flagDraftsTable>;
  transaction<T>(work: () => T): T;
  /**
   * Runs `work` in the next group commit (see GroupCommit): the request path's way to write, so
   * concurrent requests share a commit. Resolves after the commit.
   */
  batched<T>(work: () => T): Promise<T>;
  integrityCheck(): string;
  /** SQLite's own checkpoint after this many WAL pages, on the committing connection; 0 turns it off. */
  walAutoCheckpoint(pages: number): void;
  close(): void;
}

export function openStore(file: string, options: OpenOptions): Store {
  return storeOver(openDatabase(file, options));
}

export function storeOver(db: Database.Database): Store {
  const group = new GroupCommit(db);
  return {
    moments: momentsTable(db),
    reviews: reviewsTable(db),
    deadlines: deadlinesTable(db),
    outbox: outboxTable(db),
    messages: messagesTable(db),
    seen: seenTable(db),
    reactionIntake: reactionIntakeTable(db),
    flagDrafts: flagDraftsTable(db),
    transaction<T>(work: () => T): T {
      return db.transaction(work).immediate();
    },
    batched<T>(work: () => T): Promise<T> {
      return group.run(work);
    },
    integrityCheck(): string {
      const result = db.pragma('integrity_check', { simple: true });
      return String(result);
    },
    walAutoCheckpoint(pages: number): void {
      db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(pages))}`);
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}
