/**
 * Benchmark sizes, from the environment. `BENCH_QUICK=1` shrinks everything for a smoke run while
 * developing; each size can also be set on its own (see bench/README.md).
 */
export interface BenchSettings {
  readonly quick: boolean;
  /** Moments stored before the approve and flag round-trips (and the sweep's largest size). */
  readonly moments: number;
  /** Seeded moments come with their first notices as delivered outbox rows (as in a database that flagged them). */
  readonly seedOutbox: boolean;
  /** Seconds per measured autocannon round; each server also gets one unrecorded warm-up round. */
  readonly roundSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly connections: number;
  /** Pending moments for the empty-sweep scaling check. */
  readonly sweepSizes: readonly number[];
  /** Due deadlines applied per timed sweep, and how many timed sweeps. */
  readonly sweepDue: number;
  readonly sweepRuns: number;
  readonly emptySweepRuns: number;
  readonly burstFlags: number;
  readonly burstChannels: number;
  /** The stand-in's posting limit per channel during the burst. */
  readonly burstPostsPerSecond: number;
  /** Greenlight's own gap between posts in one channel: 1.05 s at Slack's 1 post/s, scaled with the limit. */
  readonly burstPostGapMs: number;
  /** Seconds all servers run unmeasured after the round-trips before RSS is read again (a full GC first). */
  readonly settleSeconds: number;
  /** Where results.json is written. */
  readonly resultsFile: string;
  /** Which parts to run (comma list of approve, flag, sweep, burst, text, groups); all when unset. RSS and database size come with approve or flag. */
  readonly only: ReadonlySet<string> | undefined;
}

const PARTS = ['approve', 'flag', 'sweep', 'burst', 'text', 'groups'] as const;

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const num = (name: string, full: number, small: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return quick ? small : full;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  const moments = Math.round(num('BENCH_MOMENTS', 100_000, 1_000));
  const burstPostsPerSecond = num('BENCH_BURST_RATE', 1, 10);
  const sizes = env.BENCH_SWEEP_SIZES?.split(',').map((s) => Math.round(Number(s))).filter((n) => n > 0);
  const only = env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const part of only ?? []) {
    if (!(PARTS as readonly string[]).includes(part)) throw new Error(`BENCH_ONLY: unknown part "${part}" (known: ${PARTS.join(', ')})`);
  }
  return {
    quick,
    moments,
    seedOutbox: env.BENCH_SEED_OUTBOX !== '0',
    roundSeconds: num('BENCH_ROUND_SECONDS', 10, 2),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 3, 1),
    rounds: Math.round(num('BENCH_ROUNDS', 3, 3)),
    connections: Math.round(num('BENCH_CONNECTIONS', 10, 10)),
    sweepSizes: sizes && sizes.length > 0 ? sizes : quick ? [1_000, 3_000, 10_000] : [1_000, 10_000, 100_000],
    sweepDue: Math.round(num('BENCH_SWEEP_DUE', 100, 100)),
    sweepRuns: Math.round(num('BENCH_SWEEP_RUNS', 9, 5)),
    emptySweepRuns: Math.round(num('BENCH_EMPTY_SWEEP_RUNS', 300, 100)),
    burstFlags: Math.round(num('BENCH_BURST_FLAGS', 500, 50)),
    burstChannels: Math.round(num('BENCH_BURST_CHANNELS', 5, 5)),
    burstPostsPerSecond,
    burstPostGapMs: Math.round(num('BENCH_BURST_GAP_MS', 1050 / burstPostsPerSecond, 1050 / burstPostsPerSecond)),
    settleSeconds: num('BENCH_SETTLE_SECONDS', 10, 3),
    resultsFile: env.BENCH_RESULTS ?? 'bench/results.json',
    only: only && only.length > 0 ? new Set(only) : undefined,
  };
}

export function runs(settings: BenchSettings, part: (typeof PARTS)[number]): boolean {
  return settings.only === undefined || settings.only.has(part);
}
