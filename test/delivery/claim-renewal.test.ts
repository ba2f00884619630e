import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CLAIM_LEASE_MS, DeliveryWorker } from '../../src/delivery/delivery-worker';
import { NOTICE_EVENT_TYPE } from '../../src/delivery/post-once';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver, type Store } from '../../src/store/store';
import { PEOPLE } from '../core/fixtures';
import { storedMoment, tempDir } from '../store/store-fixtures';

/**
 * Two Greenlight processes on one database (an overlapping deploy), one of them delivering while Slack is slow.
 * A reviewer DM whose earlier attempt may have landed asks for the card's permalink, opens the DM channel, reads
 * the history and then posts, each call up to the client's 10 s timeout: more than the 30 s claim. The other
 * process must never post the row while the first may still post it, nor the first after the other took it over.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Posted {
  readonly by: string;
  readonly channel: string;
  readonly ts: string;
  readonly outboxId: unknown;
  /** The metadata's payload as posted (the row's id and mark), which a look finds. */
  readonly payload: Record<string, unknown>;
}

interface SlackOptions {
  /** Shared-clock milliseconds each call takes. */
  readonly callMs: number;
  /** Awaited inside the history read, after what it answers was read (an answer slow to come back). */
  readonly holdHistory?: Promise<void>;
  /** The first history read then fails as a timed-out request does. */
  readonly historyFailsOnce?: boolean;
  /** Awaited inside the post, before it lands. */
  readonly holdPost?: Promise<void>;
}

/** A gate a fake Slack call waits on until the test opens it (every gate is opened after each test). */
function gate(): { readonly closed: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (open = resolve));
  gates.push(() => open());
  return { closed, open: () => open() };
}

let now: number;
let temp: { dir: string; cleanup: () => void };
let stores: Store[];
let workers: DeliveryWorker[];
/** Posts that have landed in Slack. */
let landed: Posted[];
/** "<worker>:<method>" of every call begun, in order. */
let calls: string[];
let warnings: string[];
let gates: (() => void)[];

beforeEach(() => {
  now = Date.now();
  temp = tempDir();
  stores = [];
  workers = [];
  landed = [];
  calls = [];
  warnings = [];
  gates = [];
});
afterEach(async () => {
  for (const open of gates) open();
  for (const w of workers) await w.stop();
  for (const s of stores) s.close();
  temp.cleanup();
});

function fakeSlack(name: string, options: SlackOptions): WebClient {
  let historyFailed = false;
  const call = (method: string) => {
    calls.push(`${name}:${method}`);
    now += options.callMs;
  };
  return {
    chat: {
      getPermalink: async () => {
        call('getPermalink');
        return { ok: true, permalink: 'https://example.slack.com/archives/C0REVIEW/p1' };
      },
      postMessage: async (args: { channel: string; metadata: { event_payload: { outbox_id: number } & Record<string, unknown> } }) => {
        call('postMessage');
        await options.holdPost;
        const ts = `1700000000.${String(landed.length + 1).padStart(6, '0')}`;
        landed.push({ by: name, channel: args.channel, ts, outboxId: args.metadata.event_payload.outbox_id, payload: args.metadata.event_payload });
        return { ok: true, channel: args.channel, ts };
      },
    },
    conversations: {
      open: async () => {
        call('open');
        return { ok: true, channel: { id: 'D0ANA' } };
      },
      history: async ({ channel }: { channel: string }) => {
        call('history');
        const messages = landed
          .filter((p) => p.channel === channel)
          .map((p) => ({ ts: p.ts, metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: p.payload } }));
        await options.holdHistory;
        calls.push(`${name}:history answered`);
        if (options.historyFailsOnce && !historyFailed) {
          historyFailed = true;
          throw new Error('Request timed out');
        }
        return { ok: true, messages };
      },
    },
  } as unknown as WebClient;
}

function openStore(): Store {
  const store = storeOver(openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' }));
  stores.push(store);
  return store;
}

function startWorker(name: string, store: Store, client: WebClient): void {
  const logger = createLogger({ level: LogLevel.WARN, write: (line) => warnings.push(`${name}: ${line}`) });
  const worker = new DeliveryWorker({ store, client, clock: () => now, logger, postToResponseUrl: async () => undefined }, { postGapMs: 0, pollMs: 20 });
  workers.push(worker);
  worker.start();
}

/** A moment with its card posted, and a reviewer DM whose first attempt timed out (it may have landed); its row id. */
function queueUncertainDm(store: Store): number {
  const view = store.transaction(() => storedMoment(store));
  store.transaction(() => {
    store.moments.setCard(view.moment.id, 'C0REVIEW', '1699999999.000001');
    store.outbox.enqueue(view.moment.id, [{ kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' }], now);
  });
  const rowId = store.outbox.ready(now, 10)[0]?.id;
  if (rowId === undefined) throw new Error('no row');
  store.transaction(() => store.outbox.scheduleRetry(rowId, now, 'Request timed out', true, now));
  return rowId;
}

async function until(what: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !what(); i += 1) await sleep(10);
  expect(what()).toBe(true);
}

test('a worker whose delivery outlives its claim renews it before posting, so a second worker never posts the row too', async () => {
  // given an uncertain reviewer DM, and Greenlight A delivering it while Slack answers each call in 9 s
  const storeA = openStore();
  const rowId = queueUncertainDm(storeA);
  const post = gate();
  startWorker('A', storeA, fakeSlack('A', { callMs: 9_000, holdPost: post.closed }));
  await until(() => calls.includes('A:postMessage'));
  // (A is inside its post, more than the lease after claiming the row)
  expect(now - Date.now()).toBeGreaterThan(CLAIM_LEASE_MS);

  // when a second Greenlight on the same database looks at the outbox meanwhile
  startWorker('B', openStore(), fakeSlack('B', { callMs: 0 }));
  await sleep(300);
  post.open();
  await until(() => storeA.outbox.stats().sent === 1);
  await sleep(100);

  // then the reviewer got the DM once, from A, and B never touched the row
  expect(landed.filter((p) => p.outboxId === rowId).map((p) => p.by)).toEqual(['A']);
  expect(calls.filter((c) => c.startsWith('B:'))).toEqual([]);
});

test('a worker that lost its claim while Slack was slow does not post: the worker that took the row over posts it once', async () => {
  // given an uncertain reviewer DM, and Greenlight A's history read coming back only after its claim ran out
  const storeA = openStore();
  const rowId = queueUncertainDm(storeA);
  const history = gate();
  startWorker('A', storeA, fakeSlack('A', { callMs: 11_000, holdHistory: history.closed }));
  await until(() => calls.includes('A:history'));
  expect(now - Date.now()).toBeGreaterThan(CLAIM_LEASE_MS);

  // when Greenlight B claims the lapsed row, looks, finds nothing and posts it
  startWorker('B', openStore(), fakeSlack('B', { callMs: 0 }));
  await until(() => storeA.outbox.stats().sent === 1);
  // and A's read (nothing found, as of before B's post) then comes back
  history.open();
  await until(() => calls.includes('A:history answered'));
  await sleep(200);

  // then A posted nothing, and the row is recorded once, as B's post
  expect(calls.filter((c) => c.startsWith('A:'))).not.toContain('A:postMessage');
  expect(landed.filter((p) => p.outboxId === rowId).map((p) => p.by)).toEqual(['B']);
  expect(storeA.outbox.stats()).toEqual({ open: 0, sent: 1, failed: 0, skipped: 0 });
  expect(warnings.some((w) => w.startsWith('A:') && w.includes('another worker took this row over'))).toBe(true);
});

test("a failure recorded after the claim was lost leaves the new holder's claim alone, so nobody posts over its post on the way", async () => {
  // given an uncertain reviewer DM whose history read by Greenlight A times out after A's claim ran out
  const storeA = openStore();
  const rowId = queueUncertainDm(storeA);
  const history = gate();
  const postB = gate();
  startWorker('A', storeA, fakeSlack('A', { callMs: 11_000, holdHistory: history.closed, historyFailsOnce: true }));
  await until(() => calls.includes('A:history'));
  // and Greenlight B has taken the row over and is posting it (the post not landed yet)
  startWorker('B', openStore(), fakeSlack('B', { callMs: 0, holdPost: postB.closed }));
  await until(() => calls.includes('B:postMessage'));

  // when A's read fails
  history.open();
  await until(() => calls.includes('A:history answered'));
  await sleep(100);

  // then the row stays B's: A recorded no retry (due in about a second), so nobody else takes it while B's post
  // is on its way, even once that retry would have come due
  expect(storeA.outbox.claimers(now)).toHaveLength(1);
  expect(storeA.outbox.ready(now + 5_000, 10)).toEqual([]);
  now += 5_000;
  await sleep(200);
  // and once B's post lands, the reviewer has it once
  postB.open();
  await until(() => storeA.outbox.stats().sent === 1);
  await sleep(100);
  expect(landed.filter((p) => p.outboxId === rowId).map((p) => p.by)).toEqual(['B']);
  expect(warnings.some((w) => w.startsWith('A:') && w.includes('another worker took this row over'))).toBe(true);
});

test('a post made soon after its claim goes out without renewing it: the claim is the only commit before the call', async () => {
  // given an uncertain reviewer DM and a Slack that answers at once
  const store = openStore();
  const rowId = queueUncertainDm(store);
  const renew = jest.spyOn(store.outbox, 'renew');

  // when it is delivered
  startWorker('A', store, fakeSlack('A', { callMs: 0 }));
  await until(() => store.outbox.stats().sent === 1);

  // then it was looked for, posted once, and its claim never renewed
  expect(calls).toEqual(['A:getPermalink', 'A:open', 'A:history', 'A:history answered', 'A:postMessage']);
  expect(landed.map((p) => p.outboxId)).toEqual([rowId]);
  expect(renew).not.toHaveBeenCalled();
});
