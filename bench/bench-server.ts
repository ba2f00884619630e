/**
 * Child process: one server under test, on 127.0.0.1 with an ephemeral port.
 *   BENCH_SERVER=bare       a Bolt app (HTTPReceiver) whose listeners only ack()
 *   BENCH_SERVER=greenlight startGreenlight on BENCH_DB (BENCH_SYNC = NORMAL | FULL), scanner on
 * Both talk to the Slack stand-in at BENCH_API_URL. The parent asks for `stats` over IPC (RSS,
 * CPU, event-loop use, and for Greenlight the outbox and moment counts) and sends `stop`.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import Database from 'better-sqlite3';
import { parseRouting, type AppConfig } from '../src/config';
import { startGreenlight, type Greenlight } from '../src/greenlight';
import { batchLines } from '../src/log/batch-lines';
import { createLogger } from '../src/log/logger';
import { outboxTable } from '../src/store/outbox';
import { BOT_TOKEN, SIGNING_SECRET } from '../src/sandbox/slack-requests';
import { exitWithParent, failChild, gcNow, type Message } from './child-process';
import { instrument, type Instrumented } from './instrument-worker';

/** How long after a full GC memory is read: time for V8 to return the pages the GC freed. */
const PAGES_RETURNED_MS = 1000;

interface Running {
  readonly port: number;
  stop(): Promise<void>;
  extra(): Record<string, unknown>;
  resetExtra(): void;
}

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

async function startBare(apiUrl: string): Promise<Running> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events' });
  const app = new App({ token: BOT_TOKEN, receiver, clientOptions: { slackApiUrl: apiUrl }, logLevel: LogLevel.WARN });
  app.command('/moment', async ({ ack }) => {
    await ack();
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  const server: http.Server = await app.start({ port: 0, host: '127.0.0.1' });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => app.stop().then(() => undefined),
    extra: () => ({}),
    resetExtra: () => undefined,
  };
}

async function startApp(apiUrl: string): Promise<Running> {
  const databasePath = env('BENCH_DB');
  const synchronous = env('BENCH_SYNC') === 'FULL' ? 'FULL' : 'NORMAL';
  const parsed = parseRouting(env('BENCH_ROUTING'), 'bench-routing.yml');
  if (!parsed.ok) throw new Error(`bench routing is invalid: ${JSON.stringify(parsed.errors)}`);
  const logFd = fs.openSync(env('BENCH_LOG'), 'a');
  const lines = { warn: 0, error: 0 };
  // Logs go to a file as they would to stdout in production (INFO, one line per decision and per flag, the lines
  // of one turn in one write).
  const file = batchLines((chunk) => fs.writeSync(logFd, chunk));
  const logger = createLogger({
    level: LogLevel.INFO,
    secrets: [BOT_TOKEN, SIGNING_SECRET],
    write: (line) => {
      if (line.includes('"level":"warn"')) lines.warn += 1;
      else if (line.includes('"level":"error"')) lines.error += 1;
      file.write(line);
    },
  });
  const config: AppConfig = {
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: undefined, apiUrl },
    port: 0,
    databasePath,
    databaseSynchronous: synchronous,
    routingFile: 'bench-routing.yml',
    flagEmoji: 'zap',
    deadlineScan: '*/5 * * * * *',
    logLevel: 'info',
  };
  const postGapMs = Number(process.env.BENCH_POST_GAP_MS ?? '1050');
  const app: Greenlight = await startGreenlight({ config, routing: parsed.routing, logger, host: '127.0.0.1', worker: { postGapMs } });
  // Diagnosis only (BENCH_NO_DELIVERY=1): the request path alone, nothing delivered while measuring.
  if (process.env.BENCH_NO_DELIVERY === '1') await app.worker.stop();
  const probe: Instrumented = instrument(app);
  // A second, read-only connection, only to count what the benchmark did (never used by the app).
  const reader = new Database(databasePath, { readonly: true, fileMustExist: true });
  // Its counts scan the moments table: with the driver's default 16 MB page cache that scan would stay resident in
  // the process whose memory is being measured, and be counted as Greenlight's.
  reader.pragma('cache_size = -64');
  const byStatus = reader.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM moments GROUP BY status');
  const decisions = reader.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM decisions');
  // The outbox is counted through the same connection: through Greenlight's own, the scan (half a million rows) would
  // empty its page cache just before each measured round.
  const outbox = outboxTable(reader);
  return {
    port: app.port ?? 0,
    stop: async () => {
      reader.close();
      await app.stop();
      fs.closeSync(logFd);
    },
    extra: () => ({
      outbox: outbox.stats(),
      moments: Object.fromEntries(byStatus.all().map((r) => [r.status, r.n])),
      decisions: decisions.get()?.n ?? 0,
      worker: probe.read(),
      logLines: { ...lines },
    }),
    resetExtra: () => probe.reset(),
  };
}

async function main(): Promise<void> {
  exitWithParent();
  const apiUrl = env('BENCH_API_URL');
  const running = process.env.BENCH_SERVER === 'bare' ? await startBare(apiUrl) : await startApp(apiUrl);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let eluBase: EventLoopUtilization = performance.eventLoopUtilization();
  let cpuBase = process.cpuUsage();

  process.on('message', (raw: unknown) => {
    const message = raw as Message;
    if (message.type === 'stats') {
      void sendStats(message.gc === true, message.reset === true);
    } else if (message.type === 'stop') {
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => failChild(error),
      );
    }
  });

  async function sendStats(gc: boolean, reset: boolean): Promise<void> {
    let rssRightAfterGc: number | undefined;
    if (gc) {
      gcNow();
      // V8 hands the pages a full GC freed back to the system from a background thread, shortly after the GC:
      // read at once, RSS still counts them (measured: 60 MB of a busy server's 145 MB, gone 1 s later).
      rssRightAfterGc = process.memoryUsage.rss();
      await new Promise((resolve) => setTimeout(resolve, PAGES_RETURNED_MS));
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage(cpuBase);
    const elu = performance.eventLoopUtilization(eluBase);
    process.send?.({
      type: 'stats',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      heapTotal: memory.heapTotal,
      memory: memoryBreakdown(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      eventLoopUtilization: elu.utilization,
      eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
      ...(rssRightAfterGc === undefined ? {} : { rssRightAfterGc }),
      ...running.extra(),
    });
    if (reset) {
      eluBase = performance.eventLoopUtilization();
      cpuBase = process.cpuUsage();
      delay.reset();
      running.resetExtra();
    }
  }

  process.send?.({ type: 'ready', port: running.port });
}

/** Where the resident memory is: V8's spaces (committed), and the kernel's anonymous vs file-backed split. */
function memoryBreakdown(): Record<string, number> {
  const spaces: Record<string, number> = {};
  for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = space.space_size;
  const kernel: Record<string, number> = {};
  try {
    for (const line of fs.readFileSync('/proc/self/smaps_rollup', 'utf8').split('\n')) {
      const match = /^(Rss|Anonymous|Private_Dirty|Shared_Clean|Private_Clean):\s+(\d+) kB/.exec(line);
      if (match?.[1] && match[2]) kernel[match[1]] = Number(match[2]) * 1024;
    }
  } catch {
    // Not Linux: the V8 figures alone.
  }
  return { ...spaces, ...kernel };
}

main().catch(failChild);
