import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { storedMoment, tempDir } from '../store/store-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a damaged flagger note followed by the flagger's request update does not stop every delivery", async () => {
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
    await worker.stop();
    db.close();
    temp.cleanup();
  }
});
