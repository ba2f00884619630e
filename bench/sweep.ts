/**
 * Child process: the deadline sweep, in process, no HTTP and no Slack calls (the sweep only
 * queues notices in the outbox).
 *  - empty sweep: BENCH_SWEEP_SIZES pending moments (deadlines hours away), nothing due; timed
 *    `deadlines.due(now, 500)` and a whole `sweepDeadlines` (median of BENCH_EMPTY_RUNS);
 *  - due sweep: at the largest size, BENCH_SWEEP_DUE more moments whose deadline is due, then one
 *    timed `sweepDeadlines` that finds and applies them (median of BENCH_SWEEP_RUNS), for
 *    timeouts (escalation to the next tier) and reminders, with synchronous NORMAL then FULL;
 *  - the cost of one bare commit on this disk, NORMAL and FULL, to read the FULL results by.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { parseRouting } from '../src/config';
import type { DeadlineKind } from '../src/core/deadlines';
import type { Roster } from '../src/core/routing';
import type { Routing } from '../src/core/routing-types';
import { openStore, type Store } from '../src/store/store';
import { sweepDeadlines } from '../src/workflow/sweep-deadlines';
import { ROUND_TRIP_ROUTING } from './bench-routing';
import { exitWithParent, failChild } from './child-process';
import { median, percentile } from './load';
import { rosterOf, seedMoments, topicNamed } from './seed-moments';

interface Timing {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

function timed(runs: number, warmup: number, work: (run: number) => void, before?: (run: number) => void): Timing {
  const times: number[] = [];
  for (let run = 0; run < warmup + runs; run += 1) {
    before?.(run);
    const started = process.hrtime.bigint();
    work(run);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { medianMs: median(times), p95Ms: percentile(times, 0.95), runs };
}

function emptySweeps(store: Store, roster: Roster, now: number, runs: number): { due: Timing; sweep: Timing } {
  const due = timed(runs, 20, () => {
    if (store.deadlines.due(now, 500).length !== 0) throw new Error('the empty sweep found something due');
  });
  const sweep = timed(runs, 20, () => {
    if (sweepDeadlines(store, now, roster).due !== 0) throw new Error('the empty sweep applied something');
  });
  return { due, sweep };
}

function dueSweeps(store: Store, routing: Routing, kind: DeadlineKind, newcomers: boolean, count: number, runs: number, start: number, offset: number) {
  const topic = topicNamed(routing, 'sports');
  const roster = rosterOf(routing, newcomers);
  let applied = 0;
  let events = 0;
  let now = start;
  const timing = timed(
    runs,
    1,
    () => {
      const result = sweepDeadlines(store, now, roster);
      if (result.due !== count || result.applied !== count) throw new Error(`expected ${count} due and applied, got ${JSON.stringify(result)}`);
      applied += result.applied;
      events += result.events;
    },
    (run) => {
      // Each run gets its own due moments, a second later than the previous run's.
      now = start + run * 1000;
      const dueAt = now - 1;
      seedMoments(store, routing, count, {
        topic,
        now: now - 60_000,
        offset: offset + run * count,
        deadlines: () => [{ kind, tier: 0, revision: 1, dueAt }],
      });
    },
  );
  return { kind, newcomers, count, ...timing, appliedPerRun: applied / (runs + 1), eventsPerRun: events / (runs + 1) };
}

/**
 * What one small commit costs on this disk (WAL), as DESIGN §8 measured it: a scratch table in a
 * scratch file, nothing of Greenlight's. Tells how much of a FULL result is the disk's fsync.
 */
function commitCost(file: string, synchronous: 'NORMAL' | 'FULL', runs: number): Timing {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO scratch (value) VALUES (?)');
    const commitOne = db.transaction(() => insert.run('x'.repeat(200)));
    return timed(runs, 20, () => {
      commitOne.immediate();
    });
  } finally {
    db.close();
  }
}

function main(): void {
  exitWithParent();
  const file = process.env.BENCH_DB ?? '';
  if (file === '') throw new Error('BENCH_DB is required');
  const sizes = (process.env.BENCH_SWEEP_SIZES ?? '1000').split(',').map(Number).sort((a, b) => a - b);
  const dueCount = Number(process.env.BENCH_SWEEP_DUE ?? '100');
  const runs = Number(process.env.BENCH_SWEEP_RUNS ?? '5');
  const emptyRuns = Number(process.env.BENCH_EMPTY_SWEEP_RUNS ?? '100');
  const parsed = parseRouting(ROUND_TRIP_ROUTING, 'bench-routing.yml');
  if (!parsed.ok) throw new Error(`bench routing is invalid: ${JSON.stringify(parsed.errors)}`);
  const routing = parsed.routing;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });

  const seededAt = Date.now();
  let store = openStore(file, { synchronous: 'NORMAL' });
  let stored = 0;
  const empty = [];
  for (const size of sizes) {
    seedMoments(store, routing, size - stored, { topic: topicNamed(routing, 'sports'), now: seededAt, offset: stored });
    stored = size;
    empty.push({ pending: size, ...emptySweeps(store, rosterOf(routing, false), seededAt, emptyRuns) });
  }
  // Due moments are flagged "a minute ago"; the seeded ones' deadlines are 12 and 24 hours away.
  const start = seededAt + 1000;
  let offset = stored;
  let block = 0;
  const due = [];
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    store.close();
    store = openStore(file, { synchronous });
    // Timeouts with the roles as at the flag (the target), reminders, then timeouts that each seat a newcomer (reported).
    for (const [kind, newcomers] of [['timeout', false], ['remind', false], ['timeout', true]] as const) {
      // Each block of runs a few seconds after the previous one: far from the seeded deadlines.
      due.push({ synchronous, pending: stored, ...dueSweeps(store, routing, kind, newcomers, dueCount, runs, start + block * (runs + 2) * 1000, offset) });
      offset += (runs + 1) * dueCount;
      block += 1;
    }
  }
  store.close();
  const commit = { NORMAL: commitCost(`${file}.commit`, 'NORMAL', 300), FULL: commitCost(`${file}.commit`, 'FULL', 300) };
  const report = { type: 'sweep', empty, due, commit };
  if (process.send) process.send(report, () => process.exit(0));
  else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  failChild(error);
}
