import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../src/store/migrations';
import { migrate, notWritable, openDatabase, StoreError } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import type { Notice } from '../../src/core/notice';
import { flagged, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, storedMoment, tempDir } from './store-fixtures';

const OPTIONS = { synchronous: 'NORMAL' } as const;

function tableNames(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
}

/** Every table, index and trigger as SQLite keeps it, in name order. */
function schemaOf(db: Database.Database): { type: string; name: string; sql: string | null }[] {
  return db
    .prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    .all();
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => {
  temp.cleanup();
});

describe('migrations', () => {
  test('a new database gets every table and user_version equal to the number of migrations', () => {
    // given an empty in-memory database; when it is opened
    const { db } = memoryStore();
    // then the schema is complete and versioned, with foreign keys on
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['assignments', 'deadlines', 'decisions', 'dm_channels', 'dm_messages', 'moments', 'outbox', 'reaction_intake', 'seen']));
    db.close();
  });

  test('reopening a database file runs no migration twice and keeps its data', () => {
    // given a database file with one moment
    const file = path.join(temp.dir, 'nested', 'greenlight.db');
    const first = storeOver(openDatabase(file, OPTIONS));
    const id = storedMoment(first).moment.id;
    first.close();
    // when it is opened again, and migrate runs once more on the open connection
    const db = openDatabase(file, OPTIONS);
    migrate(db);
    // then the version is unchanged, WAL is on, and the moment is still there
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // and the page cache is SQLite's 2 MB, not the 16 MB the driver is built with
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    expect(storeOver(db).moments.get(id)?.content.title).toBe(flagged().moment.content.title);
    db.close();
  });

  test('a database at an older version is brought up to date from where it stopped', () => {
    // given a file migrated only to version 1
    const file = path.join(temp.dir, 'old.db');
    const raw = new Database(file);
    raw.exec(migrations[0] ?? '');
    raw.pragma('user_version = 1');
    raw.close();
    // when it is opened
    const db = openDatabase(file, OPTIONS);
    // then the later migrations ran
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(tableNames(db)).toContain('reaction_intake');
    db.close();
  });

  test('a database that passed version 4 before 004 gained its outbox indexes ends with the same schema as a new one', () => {
    // given a database migrated through version 4 as 004 first shipped: claim columns, no indexes
    const old = new Database(':memory:');
    for (const sql of migrations.slice(0, 3)) old.exec(sql);
    old.exec('ALTER TABLE outbox ADD COLUMN claimed_until INTEGER; ALTER TABLE outbox ADD COLUMN claimed_by TEXT;');
    old.pragma('user_version = 4');
    // when it is brought up to date
    migrate(old);
    // then its tables, indexes and triggers are exactly those of a database created today
    const { db: fresh } = memoryStore();
    expect(schemaOf(old)).toEqual(schemaOf(fresh));
    // and the worker's next row comes from an index, not a scan of every delivered row
    const plan = old.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE done_at IS NULL ORDER BY id LIMIT 1').all();
    expect(plan.map((step) => step.detail).join(' ')).toContain('outbox_open_in_order');
    old.close();
    fresh.close();
  });

  test('migration 6 keeps every DM a version-5 database remembered and finds the ones it had replaced in the outbox', () => {
    // given a database at version 5 (written with that version's SQL, not today's code), where one moment's DMs were
    // remembered one per person, the newest replacing the older: ana's review DM was replaced by her reminder, and
    // cal's DM's outbox row is already pruned
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const sql of migrations.slice(0, 5)) db.exec(sql);
    db.pragma('user_version = 5');
    const id = Number(
      db
        .prepare(
          `INSERT INTO moments (topic, review_channel, flagger_id, title, copy, urgency, plan, status, tier, revision, created_at, due_at, updated_at, version)
           VALUES ('default', 'C0REVIEW', ?, 'Oreo', 'Dunk in the dark', 'normal', '{}', 'pending', 0, 1, ?, ?, ?, 0)`,
        )
        .run(PEOPLE.flagger, T0, T0 + 30 * 60_000, T0).lastInsertRowid,
    );
    const upsertOld = db.prepare(
      'INSERT INTO dm_messages (moment_id, user_id, channel, ts) VALUES (?, ?, ?, ?) ON CONFLICT (moment_id, user_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts',
    );
    const insertRow = db.prepare(
      `INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at, done_at, outcome, result_channel, result_ts)
       VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const sent = (notice: Notice, channel: string, ts: string) => {
      insertRow.run(id, notice.kind, JSON.stringify(notice), T0, T0, T0, 'sent', channel, ts);
      if (notice.kind === 'dm_reviewer' || notice.kind === 'remind_reviewer') upsertOld.run(id, notice.userId, channel, ts);
    };
    sent({ kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' }, 'D0ANA', '1714554000.000100');
    sent({ kind: 'dm_reviewer', userId: PEOPLE.bea, why: 'review' }, 'D0BEA', '1714554000.000200');
    sent({ kind: 'remind_reviewer', userId: PEOPLE.ana }, 'D0ANA', '1714554000.000300');
    // and posts that are not review DMs (the card, the flagger's DM), and a review DM that was never delivered
    sent({ kind: 'post_card' }, 'C0REVIEW', '1714554000.000400');
    sent({ kind: 'notify_flagger', note: { what: 'flagged' } }, 'D0FLAG', '1714554000.000500');
    const leo: Notice = { kind: 'dm_reviewer', userId: PEOPLE.leo, why: 'review' };
    insertRow.run(id, leo.kind, JSON.stringify(leo), T0, T0, T0, 'failed', null, null);
    upsertOld.run(id, PEOPLE.cal, 'D0CAL', '1714554000.000050');
    expect(db.prepare('SELECT count(*) AS n FROM dm_messages').get()).toEqual({ n: 3 });

    // when the database is brought up to date
    migrate(db);

    // then every remembered DM carried over, ana's replaced review DM is back, and nothing else was taken for a DM
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const store = storeOver(db);
    expect(store.messages.dms(id)).toEqual([
      { userId: PEOPLE.ana, channel: 'D0ANA', ts: '1714554000.000100', why: 'review', settled: false },
      { userId: PEOPLE.ana, channel: 'D0ANA', ts: '1714554000.000300', why: 'review', settled: false },
      { userId: PEOPLE.bea, channel: 'D0BEA', ts: '1714554000.000200', why: 'review', settled: false },
      { userId: PEOPLE.cal, channel: 'D0CAL', ts: '1714554000.000050', why: 'review', settled: false },
    ]);
    // and a later DM is added next to them, not in place of one
    store.messages.recordDm(id, PEOPLE.bea, 'D0BEA', '1714554000.000600');
    expect(store.messages.dmsTo(id, PEOPLE.bea).map((dm) => dm.ts)).toEqual(['1714554000.000200', '1714554000.000600']);
    // and the table still belongs to its moment
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  test('a database written by a newer Greenlight is refused with newer_schema', () => {
    // given a file whose user_version is ahead of the code
    const file = path.join(temp.dir, 'newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    // when it is opened
    const error = thrown(() => openDatabase(file, OPTIONS));
    // then it is refused with a code and a message that says what to do
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({
      code: 'newer_schema',
      message: `the database has schema version ${migrations.length + 1} but this Greenlight knows only ${migrations.length}: run a newer Greenlight or restore a backup`,
    });
    // and the file was not touched
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(migrations.length + 1);
    check.close();
  });

  test('a file that is not a database is refused as corrupt', () => {
    const file = path.join(temp.dir, 'junk.db');
    fs.writeFileSync(file, 'this is not sqlite, just text that is long enough to look like a header '.repeat(20));
    expect(thrown(() => openDatabase(file, OPTIONS))).toMatchObject({ name: 'StoreError', code: 'corrupt' });
  });

  test('a path whose folder cannot be created is refused as unwritable', () => {
    const blocker = path.join(temp.dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const error = thrown(() => openDatabase(path.join(blocker, 'greenlight.db'), OPTIONS));
    expect(error).toMatchObject({ name: 'StoreError', code: 'unwritable' });
    // the system's code is said once ("ENOTDIR: not a directory, …"), not twice
    expect(String(error)).not.toMatch(/\b(E[A-Z]+)\b.*\b\1\b/);
  });

  test('a DATABASE_PATH naming a folder is refused saying so, with a file to name instead', () => {
    const folder = path.join(temp.dir, 'data');
    fs.mkdirSync(folder);
    const error = thrown(() => openDatabase(folder, OPTIONS));
    expect(error).toMatchObject({ name: 'StoreError', code: 'unwritable' });
    expect(String(error)).toContain(`cannot open DATABASE_PATH ${folder}: it is a folder: name a file in it, for example ${path.join(folder, 'greenlight.db')}`);
  });

  describe('permissions (root ignores the mode bits: made immutable instead)', () => {
    const asRoot = process.getuid?.() === 0;
    const locked: string[] = [];
    /** `target` made unwritable for whoever runs the tests. */
    function unwritable(target: string, mode: number): void {
      if (asRoot) {
        execFileSync('chattr', ['+i', target]);
        locked.push(target);
      } else fs.chmodSync(target, mode);
    }
    afterEach(() => {
      for (const target of locked.splice(0)) execFileSync('chattr', ['-i', target]);
      jest.restoreAllMocks();
    });

    test('a DATABASE_PATH in a folder its user may not write to says so, naming the user, not only SQLite\'s "unable to open"', () => {
      // given a folder that exists but is not writable (made by root with sudo mkdir, a read-only volume)
      const folder = path.join(temp.dir, 'data');
      fs.mkdirSync(folder);
      unwritable(folder, 0o555);
      const target = path.join(folder, 'greenlight.db');
      // then the refusal names the folder, the user and what to do
      const error = thrown(() => openDatabase(target, OPTIONS));
      expect(error).toMatchObject({ name: 'StoreError', code: 'unwritable' });
      expect(String(error)).toMatch(
        new RegExp(`cannot open DATABASE_PATH ${target}: its folder ${folder} is not writable by \\S+, the user running Greenlight .*set DATABASE_PATH to a place`),
      );
    });

    test('an existing database file its user may not write says so (SQLite opens it read-only and fails later)', () => {
      // given a database made by another program, never opened by Greenlight (not in WAL mode yet), the file read-only
      const file = path.join(temp.dir, 'greenlight.db');
      new Database(file).close();
      unwritable(file, 0o444);
      const error = thrown(() => openDatabase(file, OPTIONS));
      expect(error).toMatchObject({ name: 'StoreError', code: 'unwritable' });
      expect(String(error)).toMatch(new RegExp(`cannot use DATABASE_PATH ${file}: the file ${file} is not writable by \\S+, the user running Greenlight`));
    });

    test('a user with no name (a container run with --user 12345) still gets the refusal, naming the uid', () => {
      const folder = path.join(temp.dir, 'data');
      fs.mkdirSync(folder);
      unwritable(folder, 0o555);
      // as os.userInfo() throws for a uid /etc/passwd does not list
      jest.spyOn(os, 'userInfo').mockImplementation(() => {
        throw new Error('uv_os_get_passwd returned ENOENT (no such file or directory)');
      });
      const error = thrown(() => openDatabase(path.join(folder, 'greenlight.db'), OPTIONS));
      expect(String(error)).toMatch(new RegExp(`is not writable by uid ${process.getuid?.() ?? '\\?'}, the user running Greenlight`));
    });
  });

  test('a database another process holds locked while it needs migrating is refused naming the cause and what to do', () => {
    // given a database one migration behind, and another process in the middle of a write
    const file = path.join(temp.dir, 'greenlight.db');
    openDatabase(file, OPTIONS).close();
    const holder = new Database(file);
    holder.pragma(`user_version = ${migrations.length - 1}`);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      // when Greenlight opens it, it cannot migrate within its busy timeout
      const error = thrown(() => openDatabase(file, { ...OPTIONS, busyTimeoutMs: 50 }));
      // then it says another process holds it, and what to do
      expect(error).toMatchObject({ name: 'StoreError', code: 'busy' });
      expect(String(error)).toContain('another process holds it locked (a Greenlight still running on it, a backup); stop it or point DATABASE_PATH elsewhere');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  test('an up-to-date database whose write lock another connection holds still opens (the check takes no lock)', () => {
    // given an up-to-date database and another connection in the middle of a write transaction
    const file = path.join(temp.dir, 'greenlight.db');
    openDatabase(file, OPTIONS).close();
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    try {
      // when Greenlight opens it, then it opens at once, without waiting on the lock
      const db = openDatabase(file, { ...OPTIONS, busyTimeoutMs: 300 });
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      db.close();
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  test('a database file that can be read but not written is refused at open, not at the first flag', () => {
    // given an up-to-date database file Greenlight's user cannot write (root ignores the mode bits: immutable instead)
    const file = path.join(temp.dir, 'greenlight.db');
    openDatabase(file, OPTIONS).close();
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chattr', ['+i', file]);
    else fs.chmodSync(file, 0o444);
    try {
      // when it is opened, then it is refused in one line naming DATABASE_PATH
      const error = thrown(() => openDatabase(file, OPTIONS));
      expect(error).toMatchObject({ name: 'StoreError', code: 'unwritable' });
      expect(String(error)).toContain(`DATABASE_PATH ${file} can be read but not written`);
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', file]);
    }
    // and the file is unchanged: it still opens and holds its schema
    const db = openDatabase(file, OPTIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });
});

test("migration 20 marks the assignments of the moments already ended as closed, and leaves the open ones' open", () => {
  // given a database at version 19 with an open moment and an approved one, each with a reviewer
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const sql of migrations.slice(0, 19)) db.exec(sql);
  db.pragma('user_version = 19');
  const insert = db.prepare(
    `INSERT INTO moments (topic, review_channel, flagger_id, title, copy, urgency, plan, status, tier, revision, created_at, due_at, updated_at, version)
     VALUES ('default', 'C0REVIEW', ?, 'Oreo', 'Dunk in the dark', 'normal', '{}', ?, 0, 1, ?, ?, ?, 0)`,
  );
  const openId = Number(insert.run(PEOPLE.flagger, 'pending', T0, T0 + 60_000, T0).lastInsertRowid);
  const endedId = Number(insert.run(PEOPLE.flagger, 'approved', T0, T0 + 60_000, T0).lastInsertRowid);
  for (const id of [openId, endedId]) db.prepare("INSERT INTO assignments (moment_id, tier, role, user_id) VALUES (?, 0, 'brand', ?)").run(id, PEOPLE.ana);
  // when it is brought up to date
  migrate(db);
  // then only the open moment's assignment is open
  const openOf = (id: number) => db.prepare<[number], { open: number }>('SELECT open FROM assignments WHERE moment_id = ?').get(id)?.open;
  expect([openOf(openId), openOf(endedId)]).toEqual([1, 0]);
  db.close();
});

test('a database folder on a read-only mount is named as such, not as a matter of owner or permissions', () => {
  const { dir, cleanup } = tempDir();
  try {
    const readOnlyMount = (target: string) => {
      throw Object.assign(new Error(`EROFS: read-only file system, access '${target}'`), { code: 'EROFS' });
    };
    const why = notWritable(path.join(dir, 'greenlight.db'), readOnlyMount);
    expect(why).toContain(`its folder ${dir} is on a read-only file system: set DATABASE_PATH to a place on a writable volume`);
    expect(why).not.toContain('permissions');
  } finally {
    cleanup();
  }
});
