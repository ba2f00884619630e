/**
 * `npm run bench`: Greenlight side by side with a bare Bolt app, on loopback, in one run.
 * Prints a table and writes bench/results.json (targets and pass/fail per line). See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBurst, type BurstResult } from './burst';
import { shippedNodeFlags, startChild } from './child-process';
import { measureBigGroups, type BigGroupResults } from './big-groups';
import { measureHostileText, type HostileTextResults } from './hostile-text';
import { buildLines, formatTable, type SweepResults } from './report';
import { runRoundTrips, type RoundTripResults } from './round-trips';
import { readSettings, runs } from './settings';

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function runSweep(settings: ReturnType<typeof readSettings>, dir: string): Promise<SweepResults> {
  const child = startChild('sweep', 'sweep.ts', {
    BENCH_DB: path.join(dir, 'sweep.db'),
    BENCH_SWEEP_SIZES: settings.sweepSizes.join(','),
    BENCH_SWEEP_DUE: String(settings.sweepDue),
    BENCH_SWEEP_RUNS: String(settings.sweepRuns),
    BENCH_EMPTY_SWEEP_RUNS: String(settings.emptySweepRuns),
  });
  try {
    return await child.next<SweepResults & { type: 'sweep' }>('sweep', 900_000);
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-bench-'));
  const started = Date.now();
  const loadAverageAtStart = os.loadavg();
  log(`${settings.quick ? 'quick' : 'full'} run: ${settings.moments} moments, ${settings.rounds} × ${settings.roundSeconds} s rounds, ${settings.connections} connections; Greenlight runs with npm start's options (${shippedNodeFlags().join(' ') || 'none'}); files in ${dir}`);
  let roundTrips: RoundTripResults | undefined;
  let sweep: SweepResults | undefined;
  let burst: BurstResult | undefined;
  let text: HostileTextResults | undefined;
  let groups: BigGroupResults | undefined;
  try {
    if (runs(settings, 'approve') || runs(settings, 'flag')) roundTrips = await runRoundTrips(settings, dir, log);
    if (runs(settings, 'sweep')) {
      log(`deadline sweep at ${settings.sweepSizes.join(', ')} pending`);
      sweep = await runSweep(settings, dir);
    }
    if (runs(settings, 'burst')) {
      log(`burst: ${settings.burstFlags} flags over ${settings.burstChannels} channels at ${settings.burstPostsPerSecond} post/s per channel`);
      burst = await runBurst(settings, dir);
    }
    if (runs(settings, 'text')) {
      log('hostile text: the longest message, read and rendered in process');
      text = measureHostileText();
    }
    if (runs(settings, 'groups')) {
      log('big groups: a 300-person group, in process');
      groups = await measureBigGroups();
    }
  } finally {
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  }
  const lines = buildLines({ roundTrips, sweep, burst, text, groups });
  const table = formatTable(lines);
  process.stdout.write(`\n${table}\n\n`);
  const results = {
    when: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    settings: { ...settings, only: settings.only ? [...settings.only] : undefined },
    machine: { node: process.version, greenlightNodeFlags: shippedNodeFlags(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryBytes: os.totalmem(), loadAverageAtStart, loadAverageAtEnd: os.loadavg() },
    lines,
    passed: lines.filter((l) => l.pass === true).length,
    failed: lines.filter((l) => l.pass === false).length,
    details: { roundTrips, sweep, burst, text, groups },
  };
  fs.mkdirSync(path.dirname(path.resolve(settings.resultsFile)), { recursive: true });
  fs.writeFileSync(settings.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`${results.passed} passed, ${results.failed} failed; written to ${settings.resultsFile} in ${results.seconds} s`);
  log(`load average (1/5/15 min) at start ${loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
