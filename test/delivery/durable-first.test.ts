import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

test('under FULL, a notice is sent only after the fsyncs of the commit that queued it and of its claim', async () => {
  // given a store whose log sync the test completes by hand, and a worker answering through response_urls
  const temp = tempDir();
  const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'FULL' });
  const syncs: ((error: Error | null) => void)[] = [];
  let held = true;
  // Syncs wait for the test until it lets them all go.
  const store = storeOver(db, { sync: (done) => (held ? syncs.push(done) : setImmediate(() => done(null))), close: () => undefined });
  const waitFor = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const posted: string[] = [];
  const worker = new DeliveryWorker(
    {
      store,
      client: {} as WebClient,
      clock: Date.now,
      logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
      postToResponseUrl: async (_url, body) => {
        posted.push(String(body.text));
      },
    },
    { pollMs: 5, postGapMs: 0 },
  );
  worker.start();
  try {
    // when a reply is queued through the group commit and the worker is kicked
    const queued = store.batched(() => store.outbox.enqueue(undefined, [{ kind: 'respond', responseUrl: 'https://hooks.slack.test/1', text: 'recorded' }], Date.now()));
    worker.kick();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // then the row is in the database but nothing was sent while its fsync runs
    expect(store.outbox.stats().open).toBe(1);
    expect(posted).toEqual([]);
    // when the fsync completes
    expect(syncs).toHaveLength(1);
    syncs.shift()?.(null);
    await queued;
    // then the worker claims the row, and still sends nothing while the claim's own fsync runs
    await waitFor(() => syncs.length === 1);
    expect(syncs).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posted).toEqual([]);
    held = false;
    syncs.shift()?.(null);
    // then the reply goes out, once
    await worker.settled(5_000);
    expect(posted).toEqual(['recorded']);
  } finally {
    held = false;
    for (const done of syncs.splice(0)) done(null);
    await worker.stop();
    db.close();
    temp.cleanup();
  }
});
