import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { ResponseUrlError } from '../../src/delivery/failure';
import { createLogger } from '../../src/log/logger';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

/**
 * Answers through a response_url (the "Flagging…" confirmation of each slash command, refusals, replies to button
 * presses) each wait in their own URL's queue: each response_url is its own endpoint with its own limit (5 uses in
 * 30 minutes), so one that hangs (up to the 10 s timeout) or answers 429 holds up nobody else's answer.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let m: MemoryStore;
let worker: DeliveryWorker | undefined;
beforeEach(() => {
  m = memoryStore();
});
afterEach(async () => {
  await worker?.stop();
  m.store.close();
});

function start(postToResponseUrl: (url: string) => Promise<void>): void {
  worker = new DeliveryWorker(
    { store: m.store, client: {} as WebClient, clock: Date.now, logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }), postToResponseUrl },
    { postGapMs: 0, pollMs: 20 },
  );
  worker.start();
}

/** One answer to ana through her command's response_url, then one to bea through hers. */
function queueAnswers(): void {
  m.store.transaction(() =>
    m.store.outbox.enqueue(
      undefined,
      [
        { kind: 'respond', responseUrl: 'https://hooks.slack.com/commands/T1/1/slow', text: 'to ana' },
        { kind: 'respond', responseUrl: 'https://hooks.slack.com/commands/T1/2/fine', text: 'to bea' },
      ],
      Date.now(),
    ),
  );
}

test("one person's response_url that hangs does not hold up another person's answer", async () => {
  // given ana's response_url hangs
  const answered: string[] = [];
  let release: () => void = () => undefined;
  const hung = new Promise<void>((resolve) => (release = resolve));
  start(async (url) => {
    if (url.endsWith('/slow')) await hung;
    answered.push(url);
  });
  // when an answer to each is queued, ana's first
  queueAnswers();
  worker?.kick();
  await sleep(500);
  try {
    // then bea has hers meanwhile
    expect(answered).toEqual(['https://hooks.slack.com/commands/T1/2/fine']);
  } finally {
    release();
  }
});

test("a 429 on one person's response_url does not pause another person's answer", async () => {
  // given ana's response_url answers 429 once (retried a second later)
  const answered: { url: string; at: number }[] = [];
  const startedAt = Date.now();
  let first = true;
  start(async (url) => {
    if (url.endsWith('/slow') && first) {
      first = false;
      throw new ResponseUrlError(429);
    }
    answered.push({ url, at: Date.now() - startedAt });
  });
  // when an answer to each is queued, ana's first
  queueAnswers();
  worker?.kick();
  for (let i = 0; i < 300 && answered.length < 2; i += 1) await sleep(10);
  // then bea's went out at once, not after ana's Retry-After
  const bea = answered.find((a) => a.url.endsWith('/fine'));
  expect(bea?.at).toBeLessThan(500);
});
