import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('two scopes missing: the retries name each scope to add, not only the first', async () => {
  const temp = tempDir();
  const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' });
  const store = storeOver(db);
  const lines: string[] = [];
  const missing = (needed: string) =>
    Object.assign(new Error('An API error occurred: missing_scope'), { code: ErrorCode.PlatformError, data: { ok: false, error: 'missing_scope', needed } });
  // given Slack answering each kind of call that the app lacks a scope for it, a different scope each
  const client = {
    chat: { postEphemeral: async () => Promise.reject(missing('chat:write')) },
    views: { publish: async () => Promise.reject(missing('users:read')) },
  } as unknown as WebClient;
  const worker = new DeliveryWorker(
    { store, client, clock: Date.now, logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }), postToResponseUrl: async () => undefined },
    { pollMs: 20, postGapMs: 0 },
  );
  try {
    const now = Date.now();
    await store.batched(() => {
      store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: 'U1', channel: 'C1', text: 'hello' }], now);
      store.outbox.queueHome('U2', now);
    });
    // when both are tried
    worker.start();
    const tried = () => (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE attempts >= 1').get() as { n: number }).n;
    for (let i = 0; i < 100 && tried() < 2; i += 1) await sleep(10);
    expect(tried()).toBe(2);
    // then the operator is told both scopes to add
    const fixes = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'notice will be retried').map((l) => String(l.fix));
    expect(fixes.some((fix) => fix.includes('chat:write'))).toBe(true);
    expect(fixes.some((fix) => fix.includes('users:read'))).toBe(true);
  } finally {
    await worker.stop();
    db.close();
    temp.cleanup();
  }
});
