import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations';

export type Synchronous = 'FULL' | 'NORMAL';

export interface OpenOptions {
  readonly synchronous: Synchronous;
  /** How long a write waits for another process's lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

/** What the write-ahead log's file is cut back to once the log starts over. */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

/** The page cache per connection, in KiB as a negative cache_size (SQLite's convention). */
const PAGE_CACHE_KIB = -2000;

export class StoreError extends Error {
  constructor(
    readonly code: 'newer_schema' | 'unwritable' | 'busy' | 'corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Opens (creating folder and file if needed) the SQLite database in WAL mode with foreign
 * keys on, and brings its schema up to date. Refuses a database written by a newer Greenlight.
 */
export function openDatabase(file: string, options: OpenOptions): Database.Database {
  if (file !== ':memory:') {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (error) {
      throw new StoreError('unwritable', `cannot create the folder for DATABASE_PATH ${file}: ${errorCode(error)}`);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    const what = isFolder(file) ? 'it is a folder: name a file in it, for example ' + path.join(file, 'greenlight.db') : (notWritable(file) ?? errorCode(error));
    throw new StoreError('unwritable', `cannot open DATABASE_PATH ${file}: ${what}`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    // Savepoints (one per request in a group commit) and multi-row statements keep their undo pages in
    // a temporary journal: in memory it is a few pages, on disk every one is a write syscall. Measured:
    // an approval's SQL went from about 370 µs to 150 µs.
    db.pragma('temp_store = MEMORY');
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection; a busy Greenlight fills it and keeps it
    // resident. SQLite's own default of 2 MB holds the pages a decision touches (measured: no slower per approval
    // at 100,000 moments), and the operating system caches the rest of the file.
    db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
    // Once the log starts over (after a checkpoint), its file is cut back to this: without a limit it stays at the
    // largest it ever grew (120-160 MB after a burst), for good.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    migrate(db);
    assertWritable(file);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    // An existing file SQLite could open only read-only (the file or its folder not writable): said in those terms.
    const unwritable = /^SQLITE_(READONLY|CANTOPEN)/.test(codeOf(error) ?? '') ? notWritable(file) : undefined;
    if (unwritable !== undefined) throw new StoreError('unwritable', `cannot use DATABASE_PATH ${file}: ${unwritable}`);
    const code = storeErrorCode(error);
    // Locked past the busy timeout at start: another process holds it (a Greenlight still running, a backup).
    const hint = code === 'busy' ? ': another process holds it locked (a Greenlight still running on it, a backup); stop it or point DATABASE_PATH elsewhere' : '';
    throw new StoreError(code, `cannot use DATABASE_PATH ${file}: ${errorCode(error)}${hint}`);
  }
  return db;
}

export function migrate(db: Database.Database): void {
  // Read without a lock first: an up-to-date database (every start but the first after an upgrade) takes none.
  let version = schemaVersion(db);
  while (version < migrations.length) {
    // Each migration and its version bump commit together, so a crash never leaves half a schema. The version is
    // read again under the write lock: another Greenlight starting at the same time may have applied this step
    // while this one waited, and applying it twice fails ("duplicate column name").
    version = db
      .transaction(() => {
        const current = schemaVersion(db);
        if (current >= migrations.length) return current;
        db.exec(migrations[current] ?? '');
        db.pragma(`user_version = ${current + 1}`);
        return current + 1;
      })
      .immediate();
  }
}

/** The database's schema version; refuses one written by a newer Greenlight. */
export function schemaVersion(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true });
  const version = typeof current === 'number' ? current : 0;
  if (version > migrations.length) {
    throw new StoreError(
      'newer_schema',
      `the database has schema version ${version} but this Greenlight knows only ${migrations.length}: run a newer Greenlight or restore a backup`,
    );
  }
  return version;
}

/**
 * A file Greenlight may read but not write opens without complaint (SQLite falls back to read-only), and a schema
 * already up to date writes nothing: without this check the first flag would be the first write, and fail. Asked
 * of the file system the way SQLite decides it, so a write lock held elsewhere (an admin's sqlite3 session) does
 * not stop the start.
 */
function assertWritable(file: string): void {
  if (file === ':memory:') return;
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (error) {
    const code = codeOf(error) ?? 'EACCES';
    throw new StoreError('unwritable', `DATABASE_PATH ${file} can be read but not written (${code}): give Greenlight's user write access to the file and its folder`);
  }
}

/** The `code` an error carries (Node's `EACCES`, SQLite's `SQLITE_BUSY`), if any. */
export function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Why the database cannot be written, in the operator's terms, when it is permissions or a read-only mount: SQLite only
 * says "unable to open database file". SQLite writes its -wal and -shm files beside the database, so the folder must be writable too.
 */
export function notWritable(file: string, access: (target: string, mode: number) => void = fs.accessSync): string | undefined {
  const folder = path.dirname(path.resolve(file));
  const user = userName();
  for (const [target, what] of [
    [file, 'the file'],
    [folder, 'its folder'],
  ] as const) {
    if (target === file && !fs.existsSync(file)) continue;
    try {
      access(target, fs.constants.W_OK);
    } catch (error) {
      // No owner or permission makes a read-only mount writable.
      if (codeOf(error) === 'EROFS') {
        return `${what} ${target} is on a read-only file system: set DATABASE_PATH to a place on a writable volume (SQLite also writes its -wal and -shm files beside the database)`;
      }
      return `${what} ${target} is not writable by ${user}, the user running Greenlight (SQLite also writes its -wal and -shm files beside the database): change its owner or permissions, or set DATABASE_PATH to a place ${user} may write`;
    }
  }
  return undefined;
}

/** Who Greenlight runs as: a container's user may have no name (`--user 1234`, no /etc/passwd entry). */
function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function storeErrorCode(error: unknown): StoreError['code'] {
  const code = codeOf(error) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  return 'unwritable';
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = codeOf(error);
    const message = 'message' in error ? String(error.message) : undefined;
    // Node's messages already start with their code ("EEXIST: file already exists, …").
    if (code && message?.startsWith(code)) return message;
    return [code, message].filter(Boolean).join(' ');
  }
  return String(error);
}
