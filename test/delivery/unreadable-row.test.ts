import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A row this version cannot read never holds back the notices queued after it: a damaged one is given up; one of a
 * kind only a newer version knows (an overlapping deploy) is left to that version, and given up only once a day old.
 */

const DAY = 24 * 60 * 60_000;

test.each([
  ['that is not JSON (damaged)', '{"kind": "ephem', 0, { outcome: 'failed', last_error: 'the notice is not JSON' }, 'given up'],
  ["of a newer version's kind", JSON.stringify({ kind: 'future_notice', userId: 'U1' }), 0, { outcome: null, last_error: null }, 'left to a newer'],
  ["of a newer version's kind, a day old", JSON.stringify({ kind: 'future_notice', userId: 'U1' }), DAY, { outcome: 'failed', last_error: 'unknown notice kind "future_notice"' }, 'given up'],
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
