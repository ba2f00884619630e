import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { migrations } from '../../src/store/migrations';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

/**
 * A deploy that starts the new Greenlight before the old one exits: once the new one has migrated the database, the
 * old one's worker claims nothing more, whatever its schema watch's next check.
 */

let m: MemoryStore;
let worker: DeliveryWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  m.store.close();
});

test('a worker claims no row once the database has a schema newer than it knows, and says why once', async () => {
  m = memoryStore();
  const sent: string[] = [];
  const lines: string[] = [];
  const client = {
    chat: {
      postEphemeral: async (args: { channel: string }) => {
        sent.push(args.channel);
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  worker = new DeliveryWorker(
    { store: m.store, client, clock: Date.now, logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }), postToResponseUrl: async () => undefined },
    { postGapMs: 0, pollMs: 20 },
  );
  worker.start();
  // given a newer Greenlight migrated the database under this one
  m.db.pragma(`user_version = ${migrations.length + 1}`);
  // when a notice is queued (the new one's, or a row its migration reopened)
  m.store.transaction(() => m.store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C0NEW', text: 'hello' }], Date.now()));
  worker.kick();
  await new Promise((resolve) => setTimeout(resolve, 300));
  // then this worker neither claimed nor sent it, and said why once
  expect(sent).toEqual([]);
  expect(m.store.outbox.claimers(Date.now())).toEqual([]);
  expect(lines.filter((line) => line.includes('a newer Greenlight upgraded the database: this one delivers no more'))).toHaveLength(1);
});
