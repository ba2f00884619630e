import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/open-database';
import { openStore, storeOver, type Store } from '../../src/store/store';
import type { WalSync } from '../../src/store/wal-sync';
import { tempDir } from './store-fixtures';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A log sync the test completes by hand, recording how often it was asked for. */
function handSync(): WalSync & { readonly calls: number; finish(error?: Error): void } {
  const waiting: ((error: Error | null) => void)[] = [];
  let calls = 0;
  return {
    sync: (done) => {
      calls += 1;
      waiting.push(done);
    },
    close: () => undefined,
    get calls() {
      return calls;
    },
    finish(error?: Error) {
      const done = waiting.shift();
      if (!done) throw new Error('no sync is running');
      done(error ?? null);
    },
  };
}

/** Settles a promise into a readable state without awaiting it. */
function watch<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } {
  const seen: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => (seen.state = 'resolved'),
    (error: unknown) => Object.assign(seen, { state: 'rejected', error }),
  );
  return seen;
}

describe('group commit', () => {
  let temp: { dir: string; cleanup: () => void };
  let db: Database.Database;
  beforeEach(() => {
    temp = tempDir();
    db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'FULL' });
  });
  afterEach(() => {
    if (db.open) db.close();
    temp.cleanup();
  });

  test('work of one turn shares one commit, and a piece that throws rolls back alone', async () => {
    // given a store without a log sync of its own (SQLite syncs inside the commit)
    const store: Store = storeOver(db);
    // when three pieces are queued in one turn, the middle one writing and then throwing
    const first = store.batched(() => store.seen.remember('a', 1));
    const failing = store.batched(() => {
      store.seen.remember('b', 1);
      throw new Error('refused');
    });
    const third = store.batched(() => store.seen.remember('c', 1));
    // then the other two are stored, the failing one's write is not, and its caller hears why
    await expect(first).resolves.toBe(true);
    await expect(failing).rejects.toThrow('refused');
    await expect(third).resolves.toBe(true);
    expect(['a', 'b', 'c'].map((key) => store.seen.has(key))).toEqual([true, false, true]);
    // and no sync was ever pending
    expect(store.syncPending).toBe(false);
    await expect(store.durable()).resolves.toBeUndefined();
  });

  test('pieces of one turn write fewer log frames than the same pieces one per turn (one commit, not three)', async () => {
    const store: Store = storeOver(db);
    const framesFor = async (queue: (key: string) => Promise<unknown>): Promise<number> => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      await queue('x');
      const [log] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      return log?.log ?? 0;
    };
    const oneTurn = await framesFor((p) => Promise.all([1, 2, 3].map((n) => store.batched(() => store.seen.remember(`${p}1-${n}`, 1)))));
    const threeTurns = await framesFor(async (p) => {
      for (const n of [1, 2, 3]) await store.batched(() => store.seen.remember(`${p}3-${n}`, 1));
    });
    expect(oneTurn).toBeGreaterThan(0);
    expect(threeTurns).toBeGreaterThanOrEqual(3 * oneTurn);
  });

  test('under FULL with a log sync, nobody is answered before the sync, and commits during a sync share the next one', async () => {
    // given a store whose log sync the test completes by hand
    const wal = handSync();
    const store = storeOver(db, wal);
    // when a piece is committed
    const first = watch(store.batched(() => store.seen.remember('a', 1)));
    await nextTurn();
    // then it is in the database but its caller waits for the sync, and the connection is back at FULL
    expect(store.seen.has('a')).toBe(true);
    expect(first.state).toBe('pending');
    expect(wal.calls).toBe(1);
    expect(store.syncPending).toBe(true);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const outboxMayGo = watch(store.durable());
    // when two more commits happen while that sync runs
    const second = watch(store.batched(() => store.seen.remember('b', 1)));
    await nextTurn();
    const third = watch(store.batched(() => store.seen.remember('c', 1)));
    await nextTurn();
    // then no new sync starts until the first ends
    expect(wal.calls).toBe(1);
    wal.finish();
    await nextTurn();
    // and the first caller is answered, and what was committed before durable() was asked is durable
    expect(first.state).toBe('resolved');
    expect(outboxMayGo.state).toBe('resolved');
    expect([second.state, third.state]).toEqual(['pending', 'pending']);
    // and the two waiting commits share one sync
    expect(wal.calls).toBe(2);
    wal.finish();
    await nextTurn();
    expect([second.state, third.state]).toEqual(['resolved', 'resolved']);
    expect(store.syncPending).toBe(false);
  });

  test('a failed log sync is fatal: its callers, every later one and every wait for durability are refused', async () => {
    // given a store whose first log sync fails
    const wal = handSync();
    const failures: Error[] = [];
    const store = storeOver(db, wal, (error) => failures.push(error));
    const press = watch(store.batched(() => store.seen.remember('a', 1)));
    await nextTurn();
    const outboxMayGo = watch(store.durable());
    const during = watch(store.batched(() => store.seen.remember('b', 1)));
    await nextTurn();
    wal.finish(new Error('EIO: i/o error, fsync'));
    await nextTurn();
    // then the callers it covered, and the commit waiting behind it, hear that the log could not be written
    expect(press.state).toBe('rejected');
    expect(String(press.error)).toContain('EIO');
    expect(during.state).toBe('rejected');
    expect(failures.map((e) => e.message)).toEqual(['EIO: i/o error, fsync']);
    // and later work is refused without touching the database, and the outbox is never released
    await expect(store.batched(() => store.seen.remember('c', 1))).rejects.toThrow('must restart');
    expect(store.seen.has('c')).toBe(false);
    await nextTurn();
    // nor is anything read shown: a wait for durability is refused, then and from now on
    expect(outboxMayGo.state).toBe('rejected');
    expect(String(outboxMayGo.error)).toContain('must restart');
    await expect(store.durable()).rejects.toThrow('must restart');
    expect(store.syncPending).toBe(true);
    expect(wal.calls).toBe(1);
  });

  test('a log sync that throws at once is handled like one that fails later', async () => {
    const failures: Error[] = [];
    const store = storeOver(
      db,
      {
        sync: () => {
          throw new Error('EBADF: bad file descriptor, fsync');
        },
        close: () => undefined,
      },
      (error) => failures.push(error),
    );
    await expect(store.batched(() => store.seen.remember('a', 1))).rejects.toThrow('EBADF');
    expect(failures).toHaveLength(1);
  });

  test('a FULL store on a file syncs its write-ahead log with fsync before answering', async () => {
    // given a store opened as Greenlight opens it, with synchronous=FULL
    db.close();
    const file = path.join(temp.dir, 'full.db');
    const fsync = jest.spyOn(fs, 'fsync');
    const store = openStore(file, { synchronous: 'FULL' });
    try {
      // when a piece is committed through the group commit
      await store.batched(() => store.seen.remember('a', 1));
      // then the log was synced by Greenlight (off the event loop), and the piece is stored
      expect(fsync).toHaveBeenCalledTimes(1);
      expect(store.seen.has('a')).toBe(true);
    } finally {
      fsync.mockRestore();
      store.close();
    }
  });

  test('through a symlinked database path, the log synced is the one SQLite writes, beside the real file', async () => {
    // given the database reached through a symlink, and a stale log left at the link's path
    db.close();
    const real = path.join(temp.dir, 'real');
    const links = path.join(temp.dir, 'links');
    fs.mkdirSync(real);
    fs.mkdirSync(links);
    fs.writeFileSync(path.join(real, 'greenlight.db'), '');
    fs.symlinkSync(path.join(real, 'greenlight.db'), path.join(links, 'greenlight.db'));
    fs.writeFileSync(path.join(links, 'greenlight.db-wal'), 'stale');
    const opened = jest.spyOn(fs, 'openSync');
    const store = openStore(path.join(links, 'greenlight.db'), { synchronous: 'FULL' });
    try {
      await store.batched(() => store.seen.remember('a', 1));
      // then the log opened for syncing is the real one, which SQLite writes
      const logs = opened.mock.calls.map(([file]) => String(file)).filter((file) => file.endsWith('-wal'));
      expect(logs).toEqual([`${fs.realpathSync(path.join(real, 'greenlight.db'))}-wal`]);
      expect(store.syncsOffLoop).toBe(true);
      expect(fs.statSync(path.join(real, 'greenlight.db-wal')).size).toBeGreaterThan(0);
    } finally {
      opened.mockRestore();
      store.close();
    }
  });

  test('a NORMAL store leaves syncing to SQLite and answers right after the commit', async () => {
    db.close();
    const fsync = jest.spyOn(fs, 'fsync');
    const store = openStore(path.join(temp.dir, 'normal.db'), { synchronous: 'NORMAL' });
    try {
      await store.batched(() => store.seen.remember('a', 1));
      expect(fsync).not.toHaveBeenCalled();
      expect(store.syncPending).toBe(false);
    } finally {
      fsync.mockRestore();
      store.close();
    }
  });
});
