import fs from 'node:fs';
import type { SyncLog } from './group-commit';

export interface WalSync {
  readonly sync: SyncLog;
  close(): void;
}

/**
 * fsyncs the database's write-ahead log on libuv's thread pool: the call SQLite makes itself at each
 * commit under synchronous=FULL, made here off the event loop. The file exists once the database is
 * open in WAL mode, and SQLite keeps the same file while a connection is open (it removes it only when
 * the last one closes), so one descriptor serves the store's whole life. Undefined when the log cannot
 * be opened: the store then leaves the fsync to SQLite, inside the commit.
 */
export function openWalSync(databaseFile: string): WalSync | undefined {
  let fd: number;
  try {
    // SQLite names the log after the database's real path: through a symlink, the log sits beside the target.
    fd = fs.openSync(`${fs.realpathSync(databaseFile)}-wal`, 'r+');
  } catch {
    return undefined;
  }
  let open = true;
  return {
    sync: (done) => {
      if (!open) {
        done(new Error('the write-ahead log is closed'));
        return;
      }
      fs.fsync(fd, (error) => done(error));
    },
    close: () => {
      if (!open) return;
      open = false;
      fs.closeSync(fd);
    },
  };
}
