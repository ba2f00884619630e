import fs from 'node:fs';
import Database from 'better-sqlite3';

/** Pages to copy in the next step of a backup: more than any database has. */
const ALL_REMAINING_PAGES = 0x7fffffff;

/**
 * A copy of Greenlight's database at `target`, taken with SQLite's online backup, safe while Greenlight runs: the last
 * acknowledged flags and decisions may still be in the `-wal` file beside the `.db`, which a plain copy misses. The copy
 * is checked before it is called done (SQLite's integrity check, and its moments counted); returns how many it holds.
 */
export async function backUpDatabase(databasePath: string, target: string): Promise<number> {
  // Opened, SQLite would make an empty database where none is: a backup of nothing, that looks like one.
  if (!fs.existsSync(databasePath)) throw new Error(`there is no database at ${databasePath}: check DATABASE_PATH (in .env or the environment) and the folder this runs in`);
  // The database itself (or a link to it) as the target: SQLite copies it onto itself and the check passes, a backup
  // said done that is not one.
  if (fs.existsSync(target) && fs.realpathSync(target) === fs.realpathSync(databasePath)) {
    throw new Error(`${target} is the database itself: give the backup another file`);
  }
  const source = new Database(databasePath, { fileMustExist: true });
  try {
    if (source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'moments'").get() === undefined) {
      throw new Error(`${databasePath} is not a Greenlight database (it has no moments table)`);
    }
    // In one step, inside one read: copied 100 pages a step (the default), the backup starts over whenever Greenlight
    // commits between two steps, and under steady traffic ends only once the traffic stops. A read holds up no writer
    // of a WAL database.
    await source.backup(target, { progress: () => ALL_REMAINING_PAGES });
  } finally {
    source.close();
  }
  // Read-write, though it only reads: closing it then removes the -wal and -shm files it made, so the backup is the one
  // .db file (a read-only connection leaves them beside it, as if they were part of it).
  const copy = new Database(target, { fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy at ${target} fails SQLite's integrity check: ${String(check)}`);
    // Every message still waiting in the copy may go out from the running Greenlight after it was taken: restored, each
    // is looked for in Slack before it is sent (as a post that may have landed), not sent a second time. Its claims are
    // the running processes', gone by the time the copy is restored: a restored one would hold its row a lease long. One
    // surely not posted by then (not in flight) gets its retry window anew from its first attempt after the restore, as
    // one queued before a long stop does: counted from before the backup, a restore a day later gave it up unsent.
    copy
      .prepare('UPDATE outbox SET first_attempt_at = CASE WHEN uncertain = 1 THEN first_attempt_at END, uncertain = 1, claimed_until = NULL, claimed_by = NULL WHERE done_at IS NULL')
      .run();
    return (copy.prepare('SELECT COUNT(*) AS n FROM moments').get() as { n: number }).n;
  } finally {
    copy.close();
  }
}
