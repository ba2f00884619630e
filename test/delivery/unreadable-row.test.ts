import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A row this version cannot read is given up alone: the notices queued after it still go out. */

test.each([
  ['of an unknown notice kind (a newer version\'s)', JSON.stringify({ kind: 'future_notice', userId: 'U1' }), 'unknown notice kind "future_notice"'],
  ['that is not JSON (damaged)', '{"kind": "ephem', 'the notice is not JSON'],
])('a row %s is given up, logged once, without holding back the notices queued after it', async (_what, payload, why) => {
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
    db.prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (NULL, NULL, ?, ?, ?, ?)').run('future_notice', payload, now, now);
    await store.batched(() => store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C1', text: 'hello' }], now));
    // when the worker runs a while
    worker.start();
    for (let i = 0; i < 100 && sent.length === 0; i += 1) await sleep(10);
    await sleep(200);
    // then the reply went out, the unreadable row is given up with why, and said once, not on every pass
    expect(sent).toEqual(['hello']);
    const row = db.prepare<[], { outcome: string; last_error: string }>("SELECT outcome, last_error FROM outbox WHERE kind = 'future_notice'").get();
    expect(row).toEqual({ outcome: 'failed', last_error: why });
    expect(lines.filter((l) => l.includes('cannot be read'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('outbox read failed'))).toEqual([]);
  } finally {
    await worker.stop();
    db.close();
    temp.cleanup();
  }
});
