import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { NEWER_KIND_GRACE_MS } from '../../src/delivery/unreadable-rows';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { storedMoment, tempDir } from '../store/store-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A row this version cannot read never holds back the notices queued after it for long: a damaged one is given up; one
 * of a kind only a newer version knows (an overlapping deploy) is left to that version a few minutes, then given up.
 */

const GRACE = NEWER_KIND_GRACE_MS;

test.each([
  ['that is not JSON (damaged)', '{"kind": "ephem', 0, { outcome: 'failed', last_error: 'the notice is not JSON' }, 'given up'],
  ["of a newer version's kind", JSON.stringify({ kind: 'future_notice', userId: 'U1' }), 0, { outcome: null, last_error: null }, 'left to a newer'],
  ["of a newer version's kind, past its grace", JSON.stringify({ kind: 'future_notice', userId: 'U1' }), GRACE, { outcome: 'failed', last_error: 'unknown notice kind "future_notice"' }, 'given up'],
])('a row %s does not hold back the notices after it, and is said once', async (_what, payload, age, expected, said) => {
  const temp = tempDir();
  const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' });
  const store = storeOver(db);
  const sent: string[] = [];
  const lines: string[] = [];
  const client = {
    chat: {
      postEphemeral: async ({ text }: { text: string }) => {
        sent.push(text);
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  const worker = new DeliveryWorker(
    { store, client, clock: Date.now, logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }), postToResponseUrl: async () => undefined },
    { pollMs: 20, postGapMs: 0 },
  );
  try {
    // given a row this version cannot read, then an ordinary reply
    const now = Date.now();
    db.prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (NULL, NULL, ?, ?, ?, ?)').run('future_notice', payload, now - age, now - age);
    await store.batched(() => store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C1', text: 'hello' }], now));
    // when the worker runs a while (many passes)
    worker.start();
    for (let i = 0; i < 100 && sent.length === 0; i += 1) await sleep(10);
    await sleep(200);
    // then the reply went out, the row is dealt with as expected, and said once, not on every pass
    expect(sent).toEqual(['hello']);
    expect(db.prepare("SELECT outcome, last_error FROM outbox WHERE kind = 'future_notice'").get()).toEqual(expected);
    expect(lines.filter((l) => l.includes(said))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('outbox read failed'))).toEqual([]);
  } finally {
    await worker.stop();
    db.close();
    temp.cleanup();
  }
});

test('giving up an unreadable row leaves it to a process that has claimed it since (it may be sending it)', () => {
  const temp = tempDir();
  const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' });
  const store = storeOver(db);
  try {
    const now = Date.now();
    db.prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (NULL, NULL, ?, ?, ?, ?)').run('x', '{not json', now, now);
    expect(store.outbox.ready(now, 10)).toEqual([]);
    const [row] = store.outbox.takeUnreadable();
    if (!row) throw new Error('the row was not noted as unreadable');
    expect(store.outbox.claim(row.id, 'newer-worker', now, now + 30_000, true)).toBe(true);
    store.outbox.giveUpUnreadable(row.id, now, row.why);
    expect(store.outbox.holds(row.id, 'newer-worker')).toBe(true);
  } finally {
    db.close();
    temp.cleanup();
  }
});

describe('rows of a newer version\'s kind in numbers, or in a moment\'s lane', () => {
  function rig() {
    const temp = tempDir();
    const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' });
    const store = storeOver(db);
    const calls: string[] = [];
    const ok = (method: string) => async (args: Record<string, unknown>) => {
      calls.push(method);
      return { ok: true, ts: '1.000001', channel: String(args.channel ?? 'C1'), permalink: 'https://x', messages: [] };
    };
    const client = { chat: { postEphemeral: ok('chat.postEphemeral'), update: ok('chat.update'), getPermalink: ok('chat.getPermalink') } } as unknown as WebClient;
    const worker = new DeliveryWorker(
      { store, client, clock: Date.now, logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }), postToResponseUrl: async () => undefined },
      { pollMs: 20, postGapMs: 0 },
    );
    const insertNewer = (momentId: number | null, lane: string | null, at: number) =>
      db
        .prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(momentId, lane, 'future_notice', JSON.stringify({ kind: 'future_notice' }), at, at);
    const done = async () => {
      await worker.stop();
      db.close();
      temp.cleanup();
    };
    return { db, store, calls, worker, insertNewer, done };
  }

  test('300 of them (a burst, then their version gone) do not fill the window new rows are read through', async () => {
    const r = rig();
    try {
      const now = Date.now();
      r.db.transaction(() => {
        for (let i = 0; i < 300; i += 1) r.insertNewer(null, null, now);
      })();
      await r.store.batched(() => r.store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C1', text: 'hello' }], now));
      r.worker.start();
      for (let i = 0; i < 100 && !r.calls.includes('chat.postEphemeral'); i += 1) await sleep(10);
      expect(r.calls).toContain('chat.postEphemeral');
    } finally {
      await r.done();
    }
  });

  test("one in a moment's lane holds that lane's later notices only for its grace", async () => {
    const r = rig();
    try {
      const now = Date.now();
      const { moment } = storedMoment(r.store);
      r.store.moments.setCard(moment.id, 'C0REVIEW', '1699999999.000001');
      r.insertNewer(moment.id, 'card', now - NEWER_KIND_GRACE_MS);
      await r.store.batched(() => r.store.outbox.enqueue(moment.id, [{ kind: 'update_card' }], now));
      r.worker.start();
      for (let i = 0; i < 100 && !r.calls.includes('chat.update'); i += 1) await sleep(10);
      expect(r.calls).toContain('chat.update');
    } finally {
      await r.done();
    }
  });
});
