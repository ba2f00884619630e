import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Makes everything written to the write-ahead log so far durable, then calls back (off the event loop). */
export type SyncLog = (done: (error: Error | null) => void) => void;

export interface GroupCommitOptions {
  /**
   * With synchronous=FULL: commit without SQLite's own fsync and make the log durable with this instead,
   * off the event loop, before anyone is answered. Unset: SQLite syncs (or not) as the connection says.
   */
  readonly syncLog?: SyncLog;
  /**
   * The log could not be made durable (the fsync failed). The commit is already visible, and Linux may have
   * dropped the failed pages while reporting later fsyncs as fine, so nothing after it can be called
   * durable either: the group commit refuses all further work, and the process should restart so SQLite
   * recovers from what is really on disk.
   */
  readonly onSyncFailure?: (error: Error) => void;
}

/** What every caller hears once a log sync has failed. */
export class SyncFailedError extends Error {
  constructor(readonly cause: Error) {
    super(`the database log could not be written to disk (${cause.message}); Greenlight must restart`);
    this.name = 'SyncFailedError';
  }
}

/**
 * Group commit: work submitted during one turn of the event loop runs in a single IMMEDIATE
 * transaction, so concurrent requests share one commit (and one fsync). Each piece runs in its own
 * savepoint: a piece that throws rolls back alone. Every caller is answered only after the commit is
 * durable, so nothing is acknowledged that a power cut could take back (under synchronous=FULL).
 *
 * Under FULL the fsync is not done by SQLite inside the commit, where it would stop the event loop for
 * the disk's flush time: the commit runs at NORMAL, and the log is synced through `syncLog` while the next
 * requests are being read; commits made while a sync is running share the next one.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Committed batches waiting for the next log sync (their callers' answers). */
  private awaitingSync: ((error: Error | null) => void)[] = [];
  private syncing = false;
  /** Batches committed, and of those the ones known durable (counts: a sync covers every commit before it began). */
  private committed = 0;
  private synced = 0;
  private durableWaiters: { readonly upTo: number; readonly resolve: () => void; readonly reject: (error: Error) => void }[] = [];
  /** Set once a log sync has failed: from then on nothing is committed or called durable. */
  private failed: SyncFailedError | undefined;

  /**
   * Built once: better-sqlite3 makes five closures for every `db.transaction()` call, which cost each request
   * about 2 % of its CPU when made per piece. The pragmas are prepared once for the same reason.
   */
  private readonly runBatch: Database.Transaction<(batch: readonly Pending[], outcomes: Outcome[]) => void>;
  private readonly runPiece: Database.Transaction<(work: () => unknown) => unknown>;
  private readonly syncOff: Database.Statement | undefined;
  private readonly syncOn: Database.Statement | undefined;

  constructor(
    db: Database.Database,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.runPiece = db.transaction((work: () => unknown) => work());
    this.runBatch = db.transaction((batch: readonly Pending[], outcomes: Outcome[]) => {
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, value: this.runPiece(item.work) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
    if (options.syncLog) {
      this.syncOff = db.prepare('PRAGMA synchronous = NORMAL');
      this.syncOn = db.prepare('PRAGMA synchronous = FULL');
    }
  }

  run<T>(work: () => T): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Resolves once every batch committed so far is durable (at once when no sync is pending). What is read
   * and then shown to people waits for it, so nothing reaches Slack that a power cut could still undo.
   * After a failed sync it rejects: what was read may never reach the disk, so it must not be shown.
   */
  durable(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.syncPending) return Promise.resolve();
    const upTo = this.committed;
    return new Promise<void>((resolve, reject) => this.durableWaiters.push({ upTo, resolve, reject }));
  }

  /** True while a committed batch is not yet durable. */
  get syncPending(): boolean {
    return this.synced < this.committed;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (this.failed) {
      for (const item of batch) item.reject(this.failed);
      return;
    }
    const outcomes: Outcome[] = [];
    const { syncLog } = this.options;
    try {
      this.syncOff?.run();
      try {
        this.runBatch.immediate(batch, outcomes);
      } finally {
        // Every other transaction on the connection keeps SQLite's own fsync.
        this.syncOn?.run();
      }
    } catch (error) {
      // The transaction itself failed (the database locked by another process, or closed): nothing was stored.
      for (const item of batch) item.reject(error);
      return;
    }
    const answer = (syncError: Error | null) =>
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        if (syncError) item.reject(syncError);
        else if (outcome?.ok) item.resolve(outcome.value);
        else item.reject(outcome?.error);
      });
    if (!syncLog) {
      answer(null);
      return;
    }
    this.committed += 1;
    this.awaitingSync.push(answer);
    if (!this.syncing) this.startSync(syncLog);
  }

  private startSync(syncLog: SyncLog): void {
    this.syncing = true;
    const answers = this.awaitingSync;
    this.awaitingSync = [];
    const covers = this.committed;
    const finished = (error: Error | null) => {
      this.syncing = false;
      if (error) {
        this.fail(error, answers);
        return;
      }
      this.synced = covers;
      for (const answer of answers) answer(null);
      if (this.awaitingSync.length > 0) this.startSync(syncLog);
      const ready = this.durableWaiters.filter((w) => w.upTo <= this.synced);
      this.durableWaiters = this.durableWaiters.filter((w) => w.upTo > this.synced);
      for (const waiter of ready) waiter.resolve();
    };
    try {
      syncLog(finished);
    } catch (error) {
      finished(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A failed sync: its callers and every later one are refused, and nothing is reported durable again. */
  private fail(cause: Error, answers: readonly ((error: Error | null) => void)[]): void {
    this.failed = new SyncFailedError(cause);
    for (const answer of [...answers, ...this.awaitingSync]) answer(this.failed);
    this.awaitingSync = [];
    for (const waiter of this.durableWaiters) waiter.reject(this.failed);
    this.durableWaiters = [];
    this.options.onSyncFailure?.(cause);
  }
}
