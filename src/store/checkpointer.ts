import { Worker } from 'node:worker_threads';
import { RepeatFilter } from '../log/repeat-filter';
import type { Store } from './store';
import { within } from '../within';

export interface CheckpointerOptions {
  readonly file: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  /** How often the WAL is copied back into the database file. */
  readonly intervalMs?: number;
  /** WAL length (pages) past which the thread waits for a quiet moment to start the WAL over. */
  readonly restartPages?: number;
  /**
   * A checkpoint failed (`fatal: false`, tried again on the next tick) or the thread is gone (`fatal: true`:
   * the caller's connection must go back to checkpointing by itself).
   */
  readonly onProblem: (error: string, fatal: boolean) => void;
}

/** The pages SQLite's own autocheckpoint would let pile up (its default), used again if the thread fails. */
export const INLINE_CHECKPOINT_PAGES = 1000;

/**
 * WAL length (pages of 4 KiB, so 128 MiB) past which the thread starts the WAL over. A RESTART holds every writer
 * while it copies the last frames and syncs: 7 ms at the median and up to 29 ms on this disk (measured under flags),
 * whatever the WAL's length, since the PASSIVE passes have copied the rest already. Under steady writes the passes
 * never catch up fully, so without it the WAL grew past 1.5 GB in a benchmark run; at 4,000 pages the restarts came
 * every second or so and held up enough requests to double the flag's p99 (about 3× bare's against 1.7× at this
 * length). The cost of the longer WAL: disk, and a longer WAL to read at the next start after a crash.
 */
export const RESTART_PAGES = 32 * INLINE_CHECKPOINT_PAGES;

// Plain CommonJS run by the thread: it only needs the driver, resolved here so the thread finds the same one.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
  db.pragma('synchronous = ' + workerData.synchronous);
} catch (error) {
  // Said as text: a driver error does not cross the thread boundary as an Error.
  parentPort.postMessage({ fatal: String(error) });
  process.exit(1);
}
const timer = setInterval(() => {
  try {
    const passive = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // Under steady writes the WAL may never empty between two commits: past the limit, wait for one.
    if (passive.log >= workerData.restartPages) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Copies the write-ahead log back into the database file from a background thread with its own
 * connection. A checkpoint is page copies and, with synchronous=FULL, an fsync: done inline by
 * SQLite it lands on whichever request commits the 1000th page. The caller turns its own
 * connection's autocheckpoint off while this runs, and back on if the thread fails.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private stopping = false;
  private readonly exited: Promise<void>;

  constructor(options: CheckpointerOptions) {
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file: options.file,
        synchronous: options.synchronous,
        intervalMs: options.intervalMs ?? 200,
        restartPages: options.restartPages ?? RESTART_PAGES,
      },
    });
    this.worker.unref();
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    let failed = false;
    const fail = (error: string) => {
      if (failed || this.stopping) return;
      failed = true;
      options.onProblem(error, true);
    };
    const repeats = new RepeatFilter();
    this.worker.on('message', (message: { error?: unknown; fatal?: unknown }) => {
      if (typeof message.fatal === 'string') fail(message.fatal);
      // One failed checkpoint (a lock held elsewhere) is retried on the next tick; only say so, and a failure that
      // lasts (a full disk) once a minute, not five times a second.
      else if (typeof message.error === 'string') {
        const said = repeats.pass(message.error, Date.now());
        if (said) options.onProblem(said.held > 0 ? `${message.error} (${said.held} more times since it was last said)` : message.error, false);
      }
    });
    this.worker.on('error', (error: unknown) => fail(messageOf(error)));
    this.worker.on('exit', (code) => fail(`checkpoint thread exited with code ${code}`));
  }

  /** Stops the thread and closes its connection (before the store's own, so that one closes last). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.worker.postMessage('stop');
    // Referenced while it stops: with nothing else left running (a start that failed), an unreferenced
    // thread and timer let Node exit with code 0 before the failure was reported.
    this.worker.ref();
    await within(this.exited, 2000, () => undefined);
    await this.worker.terminate();
  }
}

/**
 * Takes the store's WAL checkpoints off the request path: its own autocheckpoint goes off while the
 * thread runs, and back on if the thread fails. Nothing to do for an in-memory database.
 */
export function backgroundCheckpoints(
  store: Store,
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  report: (error: string, fatal: boolean) => void,
): Checkpointer | undefined {
  if (file === ':memory:') return undefined;
  store.walAutoCheckpoint(0);
  return new Checkpointer({
    file,
    synchronous,
    onProblem: (error, fatal) => {
      if (fatal) store.walAutoCheckpoint(INLINE_CHECKPOINT_PAGES);
      report(error, fatal);
    },
  });
}

/** A thread's error arrives as a structured clone, not always an Error instance. */
function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
