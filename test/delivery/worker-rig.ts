/**
 * A delivery worker alone on a fresh database file, sending through a hand-made client (only the methods a test needs):
 * for tests of what the worker does with rows put straight into the outbox.
 */
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

export function workerRig(client: object) {
  const temp = tempDir();
  const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' });
  const store = storeOver(db);
  /** The worker's log lines, INFO and above. */
  const lines: string[] = [];
  const worker = new DeliveryWorker(
    { store, client: client as WebClient, clock: Date.now, logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }), postToResponseUrl: async () => undefined },
    { pollMs: 20, postGapMs: 0 },
  );
  const done = async () => {
    await worker.stop();
    db.close();
    temp.cleanup();
  };
  return { db, store, lines, worker, done };
}

/** Ephemerals are recorded by text, as the worker sends them. */
export function ephemeralClient(sent: string[]): object {
  return {
    chat: {
      postEphemeral: async ({ text }: { text: string }) => {
        sent.push(text);
        return { ok: true };
      },
    },
  };
}
