import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver, type Store } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store under FULL whose first log syncs wait for the test; later ones complete on their own. */
function heldStore(file: string): { store: Store; release(): void; close(): void } {
  const db = openDatabase(file, { synchronous: 'FULL' });
  const held: ((error: Error | null) => void)[] = [];
  let holding = true;
  const store = storeOver(db, { sync: (done) => (holding ? held.push(done) : setImmediate(() => done(null))), close: () => undefined });
  return {
    store,
    release() {
      holding = false;
      for (const done of held.splice(0)) done(null);
    },
    close: () => db.close(),
  };
}

test('rows being claimed count against the concurrency limit, however many passes run while a sync is pending', async () => {
  // given twelve ephemeral replies in twelve channels, and a worker allowed three calls at once
  const temp = tempDir();
  const { store, release, close } = heldStore(path.join(temp.dir, 'greenlight.db'));
  let inFlight = 0;
  let most = 0;
  let sent = 0;
  const client = {
    chat: {
      postEphemeral: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await sleep(30);
        inFlight -= 1;
        sent += 1;
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  const worker = new DeliveryWorker(
    { store, client, clock: Date.now, logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }), postToResponseUrl: async () => undefined },
    { concurrency: 3, pollMs: 1000, postGapMs: 0 },
  );
  const queued = store.batched(() =>
    store.outbox.enqueue(
      undefined,
      Array.from({ length: 12 }, (_, i) => ({ kind: 'ephemeral' as const, userId: 'U1', channel: `C${i}`, text: `reply ${i}` })),
      Date.now(),
    ),
  );
  worker.start();
  try {
    // when several passes are asked for while the commit's fsync is still running
    for (let i = 0; i < 4; i += 1) {
      worker.kick();
      await sleep(15);
    }
    release();
    await queued;
    await worker.settled(10_000);
    // then every reply went out, never more than three at once
    expect(sent).toBe(12);
    expect(most).toBeLessThanOrEqual(3);
  } finally {
    release();
    await worker.stop();
    close();
    temp.cleanup();
  }
});
