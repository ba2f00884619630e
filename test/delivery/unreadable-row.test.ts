import path from 'node:path';
import { NEWER_KIND_GRACE_MS } from '../../src/delivery/unreadable-rows';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { storedMoment, tempDir } from '../store/store-fixtures';
import { ephemeralClient, workerRig } from './worker-rig';

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
  const sent: string[] = [];
  const { db, store, lines, worker, done } = workerRig(ephemeralClient(sent));
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
    await done();
  }
});

test("a damaged flagger note followed by the flagger's request update does not stop every delivery", async () => {
  const sent: string[] = [];
  const { db, store, lines, worker, done } = workerRig(ephemeralClient(sent));
  try {
    // given a moment whose flagger lane holds a damaged note (its payload cut short), then the update of their request
    const now = Date.now();
    const { moment } = storedMoment(store);
    db.prepare("INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (?, 'flagger', 'notify_flagger', ?, ?, ?)").run(moment.id, '{"kind": "notify_fl', now, now);
    await store.batched(() => store.outbox.enqueue(moment.id, [{ kind: 'update_flagger_note', revision: 0 }], now));
    // and an answer to someone else, about nothing to do with that moment
    await store.batched(() => store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C1', text: 'hello' }], now));
    // when the worker runs a while
    worker.start();
    for (let i = 0; i < 100 && sent.length === 0; i += 1) await sleep(10);
    // then the answer went out, the damaged row was given up, and no read of the outbox failed
    expect(sent).toEqual(['hello']);
    expect(db.prepare("SELECT outcome, last_error FROM outbox WHERE kind = 'notify_flagger'").get()).toEqual({ outcome: 'failed', last_error: 'the notice is not JSON' });
    expect(lines.filter((l) => l.includes('outbox read failed'))).toEqual([]);
  } finally {
    await done();
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
    const calls: string[] = [];
    const ok = (method: string) => async (args: Record<string, unknown>) => {
      calls.push(method);
      return { ok: true, ts: '1.000001', channel: String(args.channel ?? 'C1'), permalink: 'https://x', messages: [] };
    };
    const r = workerRig({ chat: { postEphemeral: ok('chat.postEphemeral'), update: ok('chat.update'), getPermalink: ok('chat.getPermalink') } });
    const insertNewer = (momentId: number | null, lane: string | null, at: number) =>
      r.db
        .prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(momentId, lane, 'future_notice', JSON.stringify({ kind: 'future_notice' }), at, at);
    return { ...r, calls, insertNewer };
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
