/**
 * Child process: writes BENCH_COUNT pending moments into a fresh database at BENCH_DB, with their
 * first notices as already-delivered outbox rows unless BENCH_SEED_OUTBOX=0, closes it (which
 * checkpoints the WAL into the file) and reports how long that took and how big the file is.
 */
import fs from 'node:fs';
import { parseRouting } from '../src/config';
import { openStore } from '../src/store/store';
import { ROUND_TRIP_ROUTING } from './bench-routing';
import { exitWithParent, failChild } from './child-process';
import { fileSizes } from './file-sizes';
import { seedMoments, topicNamed } from './seed-moments';

function main(): void {
  exitWithParent();
  const file = process.env.BENCH_DB ?? '';
  const count = Number(process.env.BENCH_COUNT ?? '0');
  if (file === '' || !(count > 0)) throw new Error('BENCH_DB and BENCH_COUNT are required');
  const parsed = parseRouting(ROUND_TRIP_ROUTING, 'bench-routing.yml');
  if (!parsed.ok) throw new Error(`bench routing is invalid: ${JSON.stringify(parsed.errors)}`);
  fs.rmSync(file, { force: true });
  const started = process.hrtime.bigint();
  const store = openStore(file, { synchronous: 'NORMAL' });
  const outboxHistory = process.env.BENCH_SEED_OUTBOX !== '0';
  const ids = seedMoments(store, parsed.routing, count, { topic: topicNamed(parsed.routing, 'sports'), now: Date.now(), outboxHistory });
  const outbox = store.outbox.stats();
  if (outbox.open !== 0) throw new Error(`seeding left ${outbox.open} open outbox rows`);
  store.close();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.send?.({ type: 'seeded', count: ids.length, outboxRows: outbox.sent, firstId: ids[0], lastId: ids[ids.length - 1], ms, sizes: fileSizes(file) }, () => process.exit(0));
}

try {
  main();
} catch (error) {
  failChild(error);
}
