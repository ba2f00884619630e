import type Database from 'better-sqlite3';
import { deadlinesTable } from './deadlines';
import { flagDraftsTable } from './flag-drafts';
import { groupDeparturesTable } from './group-departures';
import { GroupCommit } from './group-commit';
import { clockStepsTable } from './clock-steps';
import { homeViewersTable } from './home-viewers';
import { messagesTable } from './messages';
import { momentsTable } from './moments';
import { openDatabase, schemaVersion, type OpenOptions } from './open-database';
import { outboxTable } from './outbox';
import { reactionIntakeTable } from './reaction-intake';
import { reviewsTable } from './reviews';
import { rosterShownTable } from './roster-shown';
import { seenTable } from './seen';
import { openWalSync, type WalSync } from './wal-sync';

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
  readonly rosterShown: ReturnType<typeof rosterShownTable>;
  readonly homeViewers: ReturnType<typeof homeViewersTable>;
  readonly groupDepartures: ReturnType<typeof groupDeparturesTable>;
  readonly clockSteps: ReturnType<typeof clockStepsTable>;
  transaction<T>(work: () => T): T;
  /**
   * Runs `work` in the next group commit (see GroupCommit): the request path's way to write, so
   * concurrent requests share a commit. Resolves after the commit.
   */
  batched<T>(work: () => T): Promise<T>;
  /** Resolves once every group commit so far is durable (at once unless synchronous=FULL has an fsync running). */
  durable(): Promise<void>;
  /** True while a group commit's fsync is still running (synchronous=FULL only). */
  readonly syncPending: boolean;
  /** True when the group commit fsyncs the log off the event loop (FULL on a file whose log could be opened). */
  readonly syncsOffLoop: boolean;
  integrityCheck(): string;
  /** Throws StoreError 'newer_schema' once a newer Greenlight has upgraded the database under this one. */
  assertSchemaKnown(): void;
  /** SQLite's own checkpoint after this many WAL pages, on the committing connection; 0 turns it off. */
  walAutoCheckpoint(pages: number): void;
  close(): void;
}

export interface StoreOptions extends OpenOptions {
  /** Under FULL: the write-ahead log's fsync failed; the store refuses all writes from then on (see GroupCommit). */
  readonly onSyncFailure?: (error: Error) => void;
}

export function openStore(file: string, options: StoreOptions): Store {
  const db = openDatabase(file, options);
  // Under FULL the group commit syncs the log itself, off the event loop (see GroupCommit).
  const wal = file !== ':memory:' && options.synchronous === 'FULL' ? openWalSync(file) : undefined;
  return storeOver(db, wal, options.onSyncFailure);
}

export function storeOver(db: Database.Database, wal?: WalSync, onSyncFailure?: (error: Error) => void): Store {
  const group = new GroupCommit(db, { syncLog: wal?.sync, onSyncFailure });
  // One transaction function for every caller: better-sqlite3 makes five closures per `db.transaction()` call.
  const inTransaction = db.transaction((work: () => unknown) => work());
  return {
    moments: momentsTable(db),
    reviews: reviewsTable(db),
    deadlines: deadlinesTable(db),
    outbox: outboxTable(db),
    messages: messagesTable(db),
    seen: seenTable(db),
    reactionIntake: reactionIntakeTable(db),
    flagDrafts: flagDraftsTable(db),
    rosterShown: rosterShownTable(db),
    homeViewers: homeViewersTable(db),
    groupDepartures: groupDeparturesTable(db),
    clockSteps: clockStepsTable(db),
    transaction<T>(work: () => T): T {
      return inTransaction.immediate(work) as T;
    },
    batched<T>(work: () => T): Promise<T> {
      return group.run(work);
    },
    durable(): Promise<void> {
      return group.durable();
    },
    get syncPending(): boolean {
      return group.syncPending;
    },
    syncsOffLoop: wal !== undefined,
    assertSchemaKnown(): void {
      schemaVersion(db);
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
      // An fsync still running finishes on its descriptor first.
      if (group.syncPending) void group.durable().then(() => wal?.close(), () => wal?.close());
      else wal?.close();
    },
  };
}
