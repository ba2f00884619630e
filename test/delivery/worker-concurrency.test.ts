import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import Database from 'better-sqlite3';
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

test('rows whose claim failed (the database locked by another process) go out once it is free, even behind a long backlog', async () => {
  // given a worker whose busy timeout is short, and 301 replies stuck behind a call to one channel that does not answer
  const temp = tempDir();
  const file = path.join(temp.dir, 'greenlight.db');
  const db = openDatabase(file, { synchronous: 'NORMAL', busyTimeoutMs: 20 });
  const store = storeOver(db);
  const sent: string[] = [];
  let unblock: () => void = () => undefined;
  const blocked = new Promise<void>((resolve) => (unblock = resolve));
  const client = {
    chat: {
      postEphemeral: async ({ channel }: { channel: string }) => {
        if (channel === 'CBLOCK') await blocked;
        sent.push(channel);
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  const worker = new DeliveryWorker(
    { store, client, clock: Date.now, logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }), postToResponseUrl: async () => undefined },
    { pollMs: 60_000, postGapMs: 0 },
  );
  const reply = (channel: string, text: string) => ({ kind: 'ephemeral' as const, userId: 'U1', channel, text });
  await store.batched(() => store.outbox.enqueue(undefined, Array.from({ length: 301 }, (_, i) => reply('CBLOCK', `stuck ${i}`)), Date.now()));
  worker.start();
  await sleep(100);
  // and two replies to another channel, queued while nobody kicks the worker
  await store.batched(() => store.outbox.enqueue(undefined, [reply('CTARGET', 'one'), reply('CTARGET', 'two')], Date.now()));
  const other = new Database(file);
  try {
    // when another process holds the write lock while the worker claims them
    other.exec('BEGIN IMMEDIATE');
    worker.kick();
    await sleep(200);
    expect(sent).toEqual([]);
    other.exec('COMMIT');
    // then, once the lock is gone, they go out without waiting for the backlog ahead of them
    worker.kick();
    for (let i = 0; i < 100 && sent.length < 2; i += 1) await sleep(10);
    expect(sent).toEqual(['CTARGET', 'CTARGET']);
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    unblock();
    await worker.stop();
    db.close();
    temp.cleanup();
  }
});
