import { ErrorCode } from '@slack/web-api';
import { workerRig } from './worker-rig';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('two scopes missing: the retries name each scope to add, not only the first', async () => {
  const missing = (needed: string) =>
    Object.assign(new Error('An API error occurred: missing_scope'), { code: ErrorCode.PlatformError, data: { ok: false, error: 'missing_scope', needed } });
  // given Slack answering each kind of call that the app lacks a scope for it, a different scope each
  const { db, store, lines, worker, done } = workerRig({
    chat: { postEphemeral: async () => Promise.reject(missing('chat:write')) },
    views: { publish: async () => Promise.reject(missing('users:read')) },
  });
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
    await done();
  }
});
