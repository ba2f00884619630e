import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { backUpDatabase } from '../../src/store/back-up';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { storedMoment, tempDir } from './store-fixtures';

/** `npm run backup`: a copy taken while Greenlight runs holds what it acknowledged, and a wrong path is no backup. */

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

test('a copy taken while Greenlight holds the database open has the moments still in its write-ahead log', async () => {
  // given a running Greenlight's database, two moments stored and not yet checkpointed out of the -wal file
  const live = path.join(dir, 'greenlight.db');
  const db = openDatabase(live, { synchronous: 'NORMAL' });
  db.pragma('wal_autocheckpoint = 0');
  const store = storeOver(db);
  storedMoment(store);
  storedMoment(store);
  expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);
  // when it is backed up, with Greenlight still running
  const target = path.join(dir, 'backup.db');
  const moments = await backUpDatabase(live, target);
  db.close();
  // then the copy, one file, holds both
  expect(moments).toBe(2);
  const copy = new Database(target, { readonly: true });
  expect(copy.prepare('SELECT COUNT(*) AS n FROM moments').get()).toEqual({ n: 2 });
  copy.close();
});

test("the copy marks the messages still waiting as possibly sent and unclaimed (restored, each is looked for first); the database's are left as they are", async () => {
  // given a database with one message sent and two waiting, one of them never tried
  const live = path.join(dir, 'greenlight.db');
  const db = openDatabase(live, { synchronous: 'NORMAL' });
  const store = storeOver(db);
  const { moment } = storedMoment(store);
  store.outbox.enqueue(moment.id, [{ kind: 'post_card' }, { kind: 'dm_reviewer', userId: 'U0ANA', why: 'review' }, { kind: 'dm_reviewer', userId: 'U0BEA', why: 'review' }], Date.now());
  store.outbox.markSent(1, Date.now(), { channel: 'C0REVIEW', ts: '1.1' });
  // one of them on its way, claimed by the running Greenlight
  expect(store.outbox.claim(2, 'greenlight-live', Date.now(), Date.now() + 30_000, true)).toBe(true);
  // when it is backed up
  const target = path.join(dir, 'backup.db');
  await backUpDatabase(live, target);
  // then in the copy the waiting ones are marked and claimed by nobody (their holder is gone once it is restored), the
  // sent one is left; in the database nothing changed
  const rows = (file: Database.Database) =>
    file.prepare<[], { id: number; uncertain: number; by: string | null }>('SELECT id, uncertain, claimed_by AS by FROM outbox ORDER BY id').all();
  const copy = new Database(target, { readonly: true });
  expect(rows(copy)).toEqual([{ id: 1, uncertain: 0, by: null }, { id: 2, uncertain: 1, by: null }, { id: 3, uncertain: 1, by: null }]);
  copy.close();
  expect(rows(db)).toEqual([{ id: 1, uncertain: 0, by: null }, { id: 2, uncertain: 1, by: 'greenlight-live' }, { id: 3, uncertain: 0, by: null }]);
  db.close();
});

test('the database itself as the target fails, and names it', async () => {
  // given Greenlight's database
  const live = path.join(dir, 'greenlight.db');
  const db = openDatabase(live, { synchronous: 'NORMAL' });
  storedMoment(storeOver(db));
  // when it is backed up onto itself (by its name from another folder, or through a link), the backup is refused
  const link = path.join(dir, 'link.db');
  fs.symlinkSync(live, link);
  await expect(backUpDatabase(live, path.join(dir, '.', 'greenlight.db'))).rejects.toThrow(/greenlight\.db is the database itself/);
  await expect(backUpDatabase(live, link)).rejects.toThrow(/link\.db is the database itself/);
  // and the database is still whole
  expect(db.prepare('SELECT COUNT(*) AS n FROM moments').get()).toEqual({ n: 1 });
  db.close();
});

test('a path with no database fails, and makes no backup of an empty one', async () => {
  const target = path.join(dir, 'backup.db');
  await expect(backUpDatabase(path.join(dir, 'missing.db'), target)).rejects.toThrow(/there is no database at .*missing\.db: check DATABASE_PATH/);
  expect(fs.existsSync(target)).toBe(false);
  expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
});

test("a file that is not Greenlight's database fails", async () => {
  const other = path.join(dir, 'other.db');
  new Database(other).close();
  await expect(backUpDatabase(other, path.join(dir, 'backup.db'))).rejects.toThrow(/is not a Greenlight database/);
});

test('a backup taken while Greenlight keeps committing finishes while the commits go on, instead of starting over at each', async () => {
  // given a running Greenlight's database of some size (a year of history: 40 MB), committing every few milliseconds
  const live = path.join(dir, 'greenlight.db');
  const db = openDatabase(live, { synchronous: 'NORMAL' });
  const store = storeOver(db);
  db.exec('CREATE TABLE history_ballast (x BLOB)');
  const ballast = db.prepare('INSERT INTO history_ballast VALUES (randomblob(4000))');
  db.transaction(() => {
    for (let i = 0; i < 10_000; i += 1) ballast.run();
  })();
  storedMoment(store);
  // (the commits stop after a minute at most: a backup that starts over at each would only end then)
  let committing = true;
  const writing = setInterval(() => storedMoment(store), 3);
  const cap = setTimeout(() => {
    committing = false;
    clearInterval(writing);
  }, 60_000);
  try {
    // when it is backed up meanwhile
    const moments = await backUpDatabase(live, path.join(dir, 'backup.db'));
    // then the copy was done with the commits still going, and holds what was committed when it was taken
    expect(committing).toBe(true);
    expect(moments).toBeGreaterThan(0);
  } finally {
    clearInterval(writing);
    clearTimeout(cap);
    db.close();
  }
}, 90_000);

test('a backup is one file: no -wal or -shm file is left beside the copy', async () => {
  const live = path.join(dir, 'greenlight.db');
  const db = openDatabase(live, { synchronous: 'NORMAL' });
  storedMoment(storeOver(db));
  const target = path.join(dir, 'backup.db');
  await backUpDatabase(live, target);
  db.close();
  expect(fs.existsSync(target)).toBe(true);
  expect(fs.existsSync(`${target}-wal`)).toBe(false);
  expect(fs.existsSync(`${target}-shm`)).toBe(false);
});
