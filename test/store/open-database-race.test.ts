import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../src/store/migrations';
import { tempDir } from './store-fixtures';

/**
 * Two Greenlight processes starting together on an older database (two replicas, or a restart loop
 * overlapping a deploy) must both start: the one that gets the write lock second finds the migration applied and
 * skips it, rather than applying it again ("duplicate column name") and refusing to start.
 */

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CHILD = path.join(__dirname, 'open-store-child.ts');

function openInChild(file: string): { ready: Promise<void>; go(): void; result: Promise<string> } {
  const child = spawn(TSX, [CHILD, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.startsWith('ready\n')) onReady();
  });
  return {
    ready,
    go: () => child.stdin.write('go\n'),
    result: new Promise((resolve) => child.once('exit', () => resolve(out.replace('ready\n', '').trim()))),
  };
}

test('two processes starting together on a database two migrations behind both start', async () => {
  const temp = tempDir();
  const file = path.join(temp.dir, 'greenlight.db');
  try {
    // given a database written by a Greenlight that had only migrations 001 to 003
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (let i = 0; i < 3; i += 1) {
      old.exec(migrations[i] ?? '');
      old.pragma(`user_version = ${i + 1}`);
    }
    // and a moment when another connection holds the write lock (so both starts read the version first)
    const a = openInChild(file);
    const b = openInChild(file);
    await Promise.all([a.ready, b.ready]);
    old.exec('BEGIN IMMEDIATE');
    a.go();
    b.go();
    await new Promise((resolve) => setTimeout(resolve, 500));
    old.exec('COMMIT');
    old.close();
    // when both have opened the store
    const results = await Promise.all([a.result, b.result]);
    // then both started
    expect(results).toEqual(['ok', 'ok']);
  } finally {
    temp.cleanup();
  }
}, 30_000);
