import path from 'node:path';
import Database from 'better-sqlite3';
import { LogLevel } from '@slack/bolt';
import { watchForNewerSchema } from '../../src/backend/watch-schema';
import { createLogger } from '../../src/log/logger';
import { migrations } from '../../src/store/migrations';
import { openStore, type Store } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

/** A Greenlight whose database a newer one has upgraded stops, so only the newer code reads and writes it. */

let dir: { dir: string; cleanup: () => void };
let store: Store;
let stopWatch: (() => void) | undefined;
const lines: string[] = [];
const logger = createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) });

beforeEach(() => {
  dir = tempDir();
  store = openStore(path.join(dir.dir, 'greenlight.db'), { synchronous: 'NORMAL' });
  lines.length = 0;
});
afterEach(() => {
  stopWatch?.();
  store.close();
  dir.cleanup();
});

function setSchemaVersion(version: number): void {
  const other = new Database(path.join(dir.dir, 'greenlight.db'));
  other.pragma(`user_version = ${version}`);
  other.close();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a newer Greenlight upgrading the database makes this one stop, with a line saying why', async () => {
  const fatal: Error[] = [];
  stopWatch = watchForNewerSchema(store, logger, (error) => fatal.push(error), 20);
  await pause(80);
  expect(fatal).toEqual([]);
  // when another process (a newer Greenlight) migrates the file one version past what this code knows
  setSchemaVersion(migrations.length + 1);
  await pause(120);
  // then this one is stopped once, and the log says what happened
  expect(fatal).toHaveLength(1);
  expect(fatal[0]?.message).toContain(`schema version ${migrations.length + 1} but this Greenlight knows only ${migrations.length}`);
  expect(lines.filter((line) => line.includes('a newer Greenlight upgraded the database'))).toHaveLength(1);
});

test('the schema this Greenlight knows never stops it', async () => {
  const fatal: Error[] = [];
  stopWatch = watchForNewerSchema(store, logger, (error) => fatal.push(error), 20);
  setSchemaVersion(migrations.length);
  await pause(100);
  expect(fatal).toEqual([]);
});
