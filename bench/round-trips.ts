import fs from 'node:fs';
import path from 'node:path';
import { startSlackStandIn } from '../src/sandbox/slack-stand-in';
import { ROUND_TRIP_PEOPLE, ROUND_TRIP_ROUTING } from './bench-routing';
import { startChild, type Child } from './child-process';
import { fileSizes, type FileSizes } from './file-sizes';
import { approvePresses, load, median, quickFlags, type LoadResult, type RequestSource } from './load';
import { runs, type BenchSettings } from './settings';

export type ServerName = 'bare' | 'normal' | 'full';
export const SERVERS: readonly ServerName[] = ['bare', 'normal', 'full'];

export interface ServerStats {
  readonly type: 'stats';
  readonly rss: number;
  /** Read at once after the full GC, before V8 returned the pages it freed (for comparison with `rss`). */
  readonly rssRightAfterGc?: number;
  readonly heapUsed: number;
  readonly heapTotal?: number;
  /** V8's committed size per heap space, and smaps_rollup's Rss / Anonymous / … (bytes). */
  readonly memory?: Record<string, number>;
  readonly cpuMs: number;
  readonly eventLoopUtilization: number;
  readonly eventLoopDelayP99Ms: number;
  readonly outbox?: { open: number; sent: number; failed: number; skipped: number };
  readonly moments?: Record<string, number>;
  readonly decisions?: number;
  readonly worker?: { pumps: number; pumpMs: number; maxPumpMs: number; readyMs: number; readyRows: number };
  readonly logLines?: { warn: number; error: number };
}

export interface Round extends LoadResult {
  readonly server: ServerName;
  readonly round: number;
  /** The server process's CPU during the round, per 2xx answer. */
  readonly cpuMsPerRequest: number;
  readonly serverStats: Omit<ServerStats, 'type'>;
}

export interface Summary {
  readonly throughput: number;
  readonly p99Ms: number;
  readonly p50Ms: number;
}

export interface Benchmark {
  readonly rounds: Round[];
  readonly median: Record<ServerName, Summary>;
}

export interface RoundTripResults {
  readonly seed: { count: number; outboxRows: number; ms: number; sizes: FileSizes };
  readonly rssIdle: Record<ServerName, number>;
  readonly rssAfter: Record<ServerName, number>;
  /** Seconds the servers ran after the round-trips before rssAfter was read. */
  readonly settleSeconds: number;
  readonly approve?: Benchmark & { readonly wrapped: Record<ServerName, boolean>; readonly sent: Record<ServerName, number> };
  readonly flag?: Benchmark;
  readonly finalStats: Record<ServerName, Omit<ServerStats, 'type'>>;
  readonly dbSizesAfter: Record<'normal' | 'full', FileSizes>;
}

const stats = (child: Child, gc: boolean, reset: boolean) => child.ask<ServerStats>({ type: 'stats', gc, reset }, 'stats');

function strip(s: ServerStats): Omit<ServerStats, 'type'> {
  const { type: _type, ...rest } = s;
  return rest;
}

/**
 * Runs `source(server)` rounds: a warm-up per server, then `rounds` rounds in which every server
 * runs once (the order rotates each round). Only the measured server runs; the others are paused.
 */
async function bench(label: string, settings: BenchSettings, servers: Record<ServerName, Child>, ports: Record<ServerName, number>, source: Record<ServerName, RequestSource>, log: (line: string) => void): Promise<Benchmark> {
  for (const name of SERVERS) {
    servers[name].resume();
    await load(ports[name], settings.connections, settings.warmupSeconds, source[name]);
    servers[name].pause();
  }
  const rounds: Round[] = [];
  for (let round = 1; round <= settings.rounds; round += 1) {
    const order = SERVERS.map((_, i) => SERVERS[(i + round - 1) % SERVERS.length] as ServerName);
    for (const name of order) {
      const child = servers[name];
      child.resume();
      await stats(child, false, true);
      const result = await load(ports[name], settings.connections, settings.roundSeconds, source[name]);
      const after = await stats(child, false, false);
      child.pause();
      rounds.push({ ...result, server: name, round, cpuMsPerRequest: after.cpuMs / Math.max(1, result.ok), serverStats: strip(after) });
      log(`${label} round ${round} ${name}: ${result.throughput.toFixed(0)}/s p99 ${result.p99Ms.toFixed(2)} ms` + (result.non2xx + result.errors > 0 ? ` (non-2xx ${result.non2xx}, errors ${result.errors})` : ''));
    }
  }
  const summary = (name: ServerName): Summary => {
    const mine = rounds.filter((r) => r.server === name);
    // A round without a single answer has no latency to report: it counts as unbounded, not as zero.
    const latency = (r: Round, v: number) => (r.ok === 0 ? Number.POSITIVE_INFINITY : v);
    return {
      throughput: median(mine.map((r) => r.throughput)),
      p99Ms: median(mine.map((r) => latency(r, r.p99Ms))),
      p50Ms: median(mine.map((r) => latency(r, r.p50Ms))),
    };
  };
  return { rounds, median: { bare: summary('bare'), normal: summary('normal'), full: summary('full') } };
}

/** Seeds the moments, starts the bare app and Greenlight (NORMAL, FULL), and runs the approve and flag round-trips. */
export async function runRoundTrips(settings: BenchSettings, dir: string, log: (line: string) => void): Promise<RoundTripResults> {
  // The routing file's people are people of the workspace: one Slack does not know is left out of its role.
  const standIn = await startSlackStandIn({ port: 0, users: [...ROUND_TRIP_PEOPLE] });
  const children: Child[] = [];
  try {
    const seedFile = path.join(dir, 'seed.db');
    const seeder = startChild('seed', 'seed.ts', { BENCH_DB: seedFile, BENCH_COUNT: String(settings.moments), BENCH_SEED_OUTBOX: settings.seedOutbox ? '1' : '0' });
    children.push(seeder);
    const seeded = await seeder.next<{ type: 'seeded'; count: number; outboxRows: number; firstId: number; lastId: number; ms: number; sizes: FileSizes }>('seeded', 600_000);
    log(`seeded ${seeded.count} moments (and ${seeded.outboxRows} delivered outbox rows) in ${(seeded.ms / 1000).toFixed(1)} s: ${(seeded.sizes.total / 1e6).toFixed(1)} MB`);

    const servers = {} as Record<ServerName, Child>;
    const ports = {} as Record<ServerName, number>;
    for (const name of SERVERS) {
      const db = path.join(dir, `${name}.db`);
      if (name !== 'bare') fs.copyFileSync(seedFile, db);
      const child = startChild(name, 'bench-server.ts', {
        BENCH_SERVER: name === 'bare' ? 'bare' : 'greenlight',
        BENCH_API_URL: standIn.url,
        BENCH_DB: db,
        BENCH_SYNC: name === 'full' ? 'FULL' : 'NORMAL',
        BENCH_ROUTING: ROUND_TRIP_ROUTING,
        BENCH_POST_GAP_MS: '1050',
        BENCH_LOG: path.join(dir, `${name}.log`),
      });
      children.push(child);
      servers[name] = child;
      ports[name] = (await child.next<{ type: 'ready'; port: number }>('ready', 120_000)).port;
      child.pause();
    }
    const rssIdle = {} as Record<ServerName, number>;
    for (const name of SERVERS) {
      servers[name].resume();
      await new Promise((resolve) => setTimeout(resolve, 500));
      rssIdle[name] = (await stats(servers[name], true, false)).rss;
      servers[name].pause();
    }

    const responseUrl = standIn.responseUrl('bench');
    let approve: RoundTripResults['approve'];
    if (runs(settings, 'approve')) {
      const presses = { bare: approvePresses(1, seeded.count, responseUrl), normal: approvePresses(seeded.firstId, seeded.lastId, responseUrl), full: approvePresses(seeded.firstId, seeded.lastId, responseUrl) };
      const result = await bench('approve', settings, servers, ports, { bare: presses.bare.next, normal: presses.normal.next, full: presses.full.next }, log);
      approve = {
        ...result,
        wrapped: { bare: presses.bare.wrapped(), normal: presses.normal.wrapped(), full: presses.full.wrapped() },
        sent: { bare: presses.bare.sent(), normal: presses.normal.sent(), full: presses.full.sent() },
      };
    }
    let flag: Benchmark | undefined;
    if (runs(settings, 'flag')) {
      flag = await bench('flag', settings, servers, ports, { bare: quickFlags(responseUrl), normal: quickFlags(responseUrl), full: quickFlags(responseUrl) }, log);
    }
    // Answered is not recorded: a Greenlight refusing every press or flag ("not yours", a role with nobody) answers
    // faster than one recording them, and would pass for fast. Its open moments must have moved.
    const pendingAfter = (result: Benchmark | undefined, name: ServerName) => result?.rounds.filter((r) => r.server === name).at(-1)?.serverStats.moments?.pending;
    for (const name of ['normal', 'full'] as const) {
      const approved = pendingAfter(approve, name);
      if (approved !== undefined && approved >= seeded.count) throw new Error(`bench: Greenlight (${name}) recorded no approval: every press was refused, see its log`);
      const flagged = pendingAfter(flag, name);
      if (flagged !== undefined && flagged <= (approved ?? seeded.count)) throw new Error(`bench: Greenlight (${name}) stored no flag: every flag was refused, see its log`);
    }

    // All three run for the same while before the reading: read at once, the server whose round came last would
    // still hold that round's young generation, an accident of the rotation rather than memory it keeps.
    for (const name of SERVERS) servers[name].resume();
    await new Promise((resolve) => setTimeout(resolve, settings.settleSeconds * 1000));
    const rssAfter = {} as Record<ServerName, number>;
    const finalStats = {} as Record<ServerName, Omit<ServerStats, 'type'>>;
    for (const name of SERVERS) {
      const s = await stats(servers[name], true, false);
      rssAfter[name] = s.rss;
      finalStats[name] = strip(s);
    }
    for (const name of SERVERS) await servers[name].stop();
    return {
      seed: { count: seeded.count, outboxRows: seeded.outboxRows, ms: seeded.ms, sizes: seeded.sizes },
      rssIdle,
      rssAfter,
      settleSeconds: settings.settleSeconds,
      approve,
      flag,
      finalStats,
      dbSizesAfter: { normal: fileSizes(path.join(dir, 'normal.db')), full: fileSizes(path.join(dir, 'full.db')) },
    };
  } finally {
    for (const child of children) await child.stop();
    await standIn.close();
  }
}
