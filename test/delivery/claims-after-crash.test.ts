import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { claimerName, hostIdentity } from '../../src/delivery/claimer';
import { CLAIM_LEASE_MS, DeliveryWorker } from '../../src/delivery/delivery-worker';
import { OTHER_PROCESSES_CHECK_MS } from '../../src/delivery/other-processes';
import { migrations } from '../../src/store/migrations';
import { createLogger } from '../../src/log/logger';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

/** Rows a crashed process had claimed go out as soon as Greenlight is back, not when their lease runs out. */

const GONE_PID = 2 ** 22 + 777;
const ALIVE_PID = 2 ** 22 + 778;
const here = { host: hostIdentity(), since: 1_700_000_000_000 };

let m: MemoryStore;
let worker: DeliveryWorker | undefined;
let sent: string[];
let logLines: string[];

/** Processes running on this host, as the worker asks (see processIsRunning); ALIVE_PID is running unless a test stops it. */
let running: Set<number>;
/** Added to the real clock: a test moves the worker's time on without moving the claims' leases. */
let offsetMs: number;

function startWorker(): DeliveryWorker {
  const client = {
    chat: {
      postEphemeral: async (args: { channel: string }) => {
        sent.push(args.channel);
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => logLines.push(line) });
  worker = new DeliveryWorker(
    { store: m.store, client, clock: () => Date.now() + offsetMs, logger, postToResponseUrl: async () => undefined },
    { postGapMs: 0, pollMs: 50, isRunning: (pid) => running.has(pid) },
  );
  worker.start();
  return worker;
}

beforeEach(() => {
  m = memoryStore();
  sent = [];
  logLines = [];
  running = new Set([ALIVE_PID]);
  offsetMs = 0;
});
afterEach(async () => {
  await worker?.stop();
  m.store.close();
});

function queueClaimedBy(channel: string, claimer: string): void {
  const now = Date.now();
  m.store.transaction(() => {
    m.store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel, text: 'hello' }], now);
    const row = m.store.outbox.ready(now, 10).find((r) => r.notice.kind === 'ephemeral' && r.notice.channel === channel);
    if (!row || !m.store.outbox.claim(row.id, claimer, now, now + CLAIM_LEASE_MS)) throw new Error('could not claim the row');
  });
}

test('a row claimed by a process that is gone from this host is delivered at once after a start', async () => {
  // given a row claimed a moment ago by a process that has since died (its lease runs for 30 s more)
  queueClaimedBy('C0GONE', claimerName({ ...here, pid: GONE_PID, worker: 'w-crashed' }));
  // when a worker starts
  const started = startWorker();
  await started.settled(5_000, 1_000);
  // then the row went out without waiting for the lease, and the take-back was logged
  expect(sent).toEqual(['C0GONE']);
  expect(logLines.some((line) => line.includes('took back rows claimed by a stopped process') && line.includes('"rows":1'))).toBe(true);
});

test('a row claimed by a running process, or by a claimer from another version, waits for its lease', async () => {
  queueClaimedBy('C0ALIVE', claimerName({ ...here, pid: ALIVE_PID, worker: 'w-running' }));
  queueClaimedBy('C0OLD', '6f1d2c9e-9c1e-4a43-8a8e-1f0f1d1e1a2b');
  startWorker();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(sent).toEqual([]);
  expect(m.store.outbox.claimers(Date.now()).sort()).toHaveLength(2);
});

test('a row claimed by a process that stops after this worker started is taken back at the next look at the claims, not at the end of its lease', async () => {
  // given a deploy that starts the new Greenlight before the old one exits: the old one holds a claim, still running
  queueClaimedBy('C0HANDOVER', claimerName({ ...here, pid: ALIVE_PID, worker: 'w-old' }));
  const started = startWorker();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(sent).toEqual([]);
  // when the old process exits, and the next look at the claims comes (the lease has 30 s to run)
  running.delete(ALIVE_PID);
  offsetMs = OTHER_PROCESSES_CHECK_MS;
  for (let waited = 0; sent.length === 0 && waited < 3_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  await started.settled(5_000, 1_000);
  // then its row went out
  expect(sent).toEqual(['C0HANDOVER']);
  expect(logLines.some((line) => line.includes('took back rows claimed by a stopped process'))).toBe(true);
});

test('another running process delivering from the same database is told to the log once, with its host and pid', async () => {
  queueClaimedBy('C0TWIN', claimerName({ ...here, pid: ALIVE_PID, worker: 'w-twin' }));
  startWorker();
  await new Promise((resolve) => setTimeout(resolve, 200));
  offsetMs = 2 * OTHER_PROCESSES_CHECK_MS;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const told = logLines.filter((line) => line.includes('another Greenlight process delivers from this database too'));
  expect(told).toHaveLength(1);
  expect(told[0]).toContain(`"pid":${ALIVE_PID}`);
  expect(sent).toEqual([]);
});

test('a worker claims no row once a newer Greenlight has migrated the database, whatever its schema watch\'s next check, and says why once', async () => {
  // given a deploy that started the new Greenlight before this one exits, and the new one migrated the database
  const started = startWorker();
  m.db.pragma(`user_version = ${migrations.length + 1}`);
  // when a notice is queued (the new one's, or a row its migration reopened)
  m.store.transaction(() => m.store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C0NEW', text: 'hello' }], Date.now()));
  started.kick();
  await new Promise((resolve) => setTimeout(resolve, 300));
  // then this worker neither claimed nor sent it, and said why once
  expect(sent).toEqual([]);
  expect(m.store.outbox.claimers(Date.now())).toEqual([]);
  expect(logLines.filter((line) => line.includes('a newer Greenlight upgraded the database: this one delivers no more'))).toHaveLength(1);
});
