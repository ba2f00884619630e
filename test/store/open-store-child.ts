/** Child for open-database-race.test.ts: says "ready", waits for a line on stdin, opens the store as Greenlight does at start, prints "ok" or the error. */
import { openDatabase } from '../../src/store/open-database';

const file = process.argv[2] ?? '';
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  try {
    openDatabase(file, { synchronous: 'NORMAL', busyTimeoutMs: 2000 }).close();
    process.stdout.write('ok\n');
  } catch (error) {
    process.stdout.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(0);
});
