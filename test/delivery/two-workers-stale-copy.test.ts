import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { NOTICE_EVENT_TYPE } from '../../src/delivery/post-once';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver, type Store } from '../../src/store/store';
import { PEOPLE } from '../core/fixtures';
import { storedMoment, tempDir } from '../store/store-fixtures';

/**
 * Two Greenlight processes on one database (an overlapping deploy). A holds a row in memory, waiting behind a slow
 * call on the same channel key; meanwhile B posts that row, the post lands but its answer is lost (timeout), and B
 * schedules a retry marked uncertain. A's claim of its copy then fails (the row was tried since A read it), so A reads
 * it again and looks before posting: the reviewer gets the DM once.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Landed {
  readonly by: string;
  readonly channel: string;
  readonly ts: string;
  readonly outboxId: number;
  /** The metadata's payload as posted (the row's id and mark), which a look finds. */
  readonly payload: Record<string, unknown>;
}

test('a row held in memory by one worker is not posted blindly after another worker posted it and lost the answer', async () => {
  const temp = tempDir();
  const file = path.join(temp.dir, 'greenlight.db');
  const stores: Store[] = [];
  const workers: DeliveryWorker[] = [];
  const open = () => {
    const s = storeOver(openDatabase(file, { synchronous: 'NORMAL' }));
    stores.push(s);
    return s;
  };
  const landed: Landed[] = [];
  let releaseA: () => void = () => undefined;
  const heldA = new Promise<void>((resolve) => (releaseA = resolve));
  const fake = (name: string, behaviour: (outboxId: number) => Promise<'ok' | 'timeout'>): WebClient =>
    ({
      chat: {
        getPermalink: async () => ({ ok: true, permalink: 'https://example.slack.com/archives/C0REVIEW/p1' }),
        postMessage: async (args: { channel: string; metadata: { event_payload: { outbox_id: number } & Record<string, unknown> } }) => {
          const outboxId = args.metadata.event_payload.outbox_id;
          const ts = `1700000000.${String(landed.length + 1).padStart(6, '0')}`;
          const how = await behaviour(outboxId);
          landed.push({ by: name, channel: args.channel, ts, outboxId, payload: args.metadata.event_payload });
          if (how === 'timeout') throw new Error('Request timed out');
          return { ok: true, channel: args.channel, ts };
        },
      },
      conversations: {
        open: async () => ({ ok: true, channel: { id: 'D0ANA' } }),
        history: async ({ channel }: { channel: string }) => ({
          ok: true,
          messages: landed
            .filter((p) => p.channel === channel)
            .map((p) => ({ ts: p.ts, metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: p.payload } })),
        }),
      },
    }) as unknown as WebClient;
  const startWorker = (_name: string, store: Store, client: WebClient) => {
    const worker = new DeliveryWorker(
      { store, client, clock: Date.now, logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }), postToResponseUrl: async () => undefined },
      { postGapMs: 0, pollMs: 20 },
    );
    workers.push(worker);
    worker.start();
    return worker;
  };
  try {
    // given two moments, each with its card posted and a review DM to ana queued (one DM channel: one pacing key)
    const storeA = open();
    const rows = storeA.transaction(() =>
      [1, 2].map(() => {
        const view = storedMoment(storeA);
        storeA.moments.setCard(view.moment.id, 'C0REVIEW', '1699999999.000001');
        storeA.outbox.enqueue(view.moment.id, [{ kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' }], Date.now());
        return view.moment.id;
      }),
    );
    const [first, second] = storeA.outbox.ready(Date.now(), 10).map((r) => r.id);
    expect(rows).toHaveLength(2);
    // and Greenlight A posting the first while Slack is slow (the second waits in A's memory)
    startWorker('A', storeA, fake('A', async (id) => (id === first ? heldA.then(() => 'ok' as const) : 'ok')));
    for (let i = 0; i < 200 && !landedOrCalled(); i += 1) await sleep(10);

    // when Greenlight B posts the second, the post lands and its answer is lost (a retry is scheduled, uncertain)
    const workerB = startWorker('B', open(), fake('B', async () => 'timeout'));
    for (let i = 0; i < 300 && !landed.some((p) => p.by === 'B'); i += 1) await sleep(10);
    await sleep(100);
    await workerB.stop();
    expect(landed.filter((p) => p.outboxId === second).map((p) => p.by)).toEqual(['B']);

    // and A's slow call then ends, so A takes the second row from its memory
    releaseA();
    for (let i = 0; i < 300 && storeA.outbox.stats().open > 0; i += 1) await sleep(10);
    await sleep(200);

    // then ana got the second DM once: A looked for it before posting
    expect(landed.filter((p) => p.outboxId === second)).toHaveLength(1);
  } finally {
    releaseA();
    for (const w of workers) await w.stop();
    for (const s of stores) s.close();
    temp.cleanup();
  }

  function landedOrCalled(): boolean {
    // A's first call is parked in the gate once the row is claimed
    return stores[0]?.outbox.claimers(Date.now()).length === 1;
  }
});
