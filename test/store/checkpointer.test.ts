import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backgroundCheckpoints, Checkpointer } from '../../src/store/checkpointer';
import { WAL_SIZE_LIMIT_BYTES } from '../../src/store/open-database';
import { openStore, type Store } from '../../src/store/store';

let dir: string;
let file: string;
let store: Store;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-checkpoint-'));
  file = path.join(dir, 'greenlight.db');
  store = openStore(file, { synchronous: 'NORMAL' });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `count` seen keys, one commit each, as requests would. */
function writeKeys(from: number, count: number): void {
  for (let i = from; i < from + count; i += 1) store.transaction(() => store.seen.remember(`key:${i}:${'x'.repeat(200)}`, i));
}

test('with autocheckpoint off, the background thread copies the WAL back into the database file', async () => {
  // given SQLite's own checkpoint turned off and the thread running
  store.walAutoCheckpoint(0);
  const before = fs.statSync(file).size;
  const problems: string[] = [];
  const checkpointer = new Checkpointer({ file, synchronous: 'NORMAL', intervalMs: 20, restartPages: 50, onProblem: (e) => problems.push(e) });
  try {
    // when requests commit well over a thousand pages, one commit each
    writeKeys(0, 1500);
    // then the thread copies them into the database file, which nothing else would do
    const deadline = Date.now() + 5000;
    while (fs.statSync(file).size < before + 300_000 && Date.now() < deadline) await sleep(20);
    expect(fs.statSync(file).size).toBeGreaterThan(before + 300_000);
    expect(problems).toEqual([]);
    expect(store.seen.has(`key:1499:${'x'.repeat(200)}`)).toBe(true);
    expect(store.integrityCheck()).toBe('ok');
  } finally {
    await checkpointer.stop();
  }
});

test('without the thread and with autocheckpoint off, the pages stay in the WAL (the control for the test above)', () => {
  store.walAutoCheckpoint(0);
  const before = fs.statSync(file).size;
  writeKeys(0, 1500);
  expect(fs.statSync(file).size).toBe(before);
});

test('a thread that cannot open the database reports it once, as fatal (the caller then checkpoints inline again)', async () => {
  // given a path with no database
  const problems: { error: string; fatal: boolean }[] = [];
  const checkpointer = new Checkpointer({
    file: path.join(dir, 'missing.db'),
    synchronous: 'NORMAL',
    onProblem: (error, fatal) => problems.push({ error, fatal }),
  });
  // then the failure is fatal, said once
  const deadline = Date.now() + 5000;
  while (problems.length === 0 && Date.now() < deadline) await sleep(20);
  await checkpointer.stop();
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ fatal: true });
  expect(problems[0].error).toMatch(/unable to open|SQLITE_CANTOPEN|directory does not exist/i);
});

test('when the thread fails, the store checkpoints inline again: its pages still reach the database file', async () => {
  // given background checkpoints pointed at a file the thread cannot open (so the thread fails at once)
  const problems: boolean[] = [];
  const checkpointer = backgroundCheckpoints(store, path.join(dir, 'missing.db'), 'NORMAL', (_error, fatal) => problems.push(fatal));
  const deadline = Date.now() + 5000;
  while (problems.length === 0 && Date.now() < deadline) await sleep(20);
  await checkpointer?.stop();
  expect(problems).toEqual([true]);
  // when requests commit well over a thousand pages
  const before = fs.statSync(file).size;
  writeKeys(0, 1500);
  // then SQLite's own checkpoint copied them in
  expect(fs.statSync(file).size).toBeGreaterThan(before + 300_000);
});

test('an in-memory database needs no thread', () => {
  expect(backgroundCheckpoints(store, ':memory:', 'NORMAL', () => undefined)).toBeUndefined();
});

test("after a burst, the WAL's file is cut back once the log starts over, not kept at the largest it grew", async () => {
  // given the thread checkpointing as in production, and one burst of about 40 MB in one transaction
  store.walAutoCheckpoint(0);
  const checkpointer = new Checkpointer({ file, synchronous: 'NORMAL', intervalMs: 20, restartPages: 50, onProblem: () => undefined });
  const wal = () => fs.statSync(`${file}-wal`).size;
  try {
    store.transaction(() => {
      for (let i = 0; i < 20_000; i += 1) store.seen.remember(`burst:${i}:${'x'.repeat(2000)}`, i);
    });
    expect(wal()).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES * 2);
    // when the thread has checkpointed it and the next commits start the log over
    const deadline = Date.now() + 10_000;
    for (let i = 0; wal() > WAL_SIZE_LIMIT_BYTES && Date.now() < deadline; i += 1) {
      store.transaction(() => store.seen.remember(`after:${i}`, i));
      await sleep(20);
    }
    // then the file is back within the limit
    expect(wal()).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    expect(store.integrityCheck()).toBe('ok');
  } finally {
    await checkpointer.stop();
  }
});
