import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { WebAPIHTTPError, type WebClient } from '@slack/web-api';
import type { Notice } from '../../src/core/notice';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { ResponseUrlError } from '../../src/delivery/failure';
import { createLogger } from '../../src/log/logger';
import { openDatabase } from '../../src/store/open-database';
import { storeOver, type Store } from '../../src/store/store';
import { tempDir } from '../store/store-fixtures';

/** How long a notice that keeps failing for a passing reason is retried: by its age, not a count of attempts. */

const MINUTE = 60_000;
let temp: ReturnType<typeof tempDir>;
let store: Store;
let worker: DeliveryWorker;
let offset: number;
let failuresLeft: number;
let attempts: number;
const posted: string[] = [];
const clock = () => Date.now() + offset;

beforeEach(() => {
  temp = tempDir();
  store = storeOver(openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'NORMAL' }));
  offset = 0;
  attempts = 0;
  posted.length = 0;
  worker = new DeliveryWorker(
    {
      store,
      // Slack's side is down (503) for as many calls as the test says, then answers.
      client: {
        views: {
          publish: async () => {
            failOrAnswer();
            posted.push('home');
            return { ok: true };
          },
        },
      } as unknown as WebClient,
      clock,
      logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
      postToResponseUrl: async (_url, body) => {
        failOrAnswer(new ResponseUrlError(503));
        posted.push(String(body.text));
      },
    },
    { pollMs: 5, postGapMs: 0, random: () => 0.5 },
  );
  worker.start();
});
afterEach(async () => {
  await worker.stop();
  store.close();
  temp.cleanup();
});

function failOrAnswer(failure: Error = new WebAPIHTTPError(503, 'Service Unavailable', {})): void {
  attempts += 1;
  if (failuresLeft > 0) {
    failuresLeft -= 1;
    throw failure;
  }
}

const HOME: Notice = { kind: 'publish_home', userId: 'U0ANA' };
const ANSWER: Notice = { kind: 'respond', responseUrl: 'https://hooks.slack.test/1', text: 'recorded' };

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

/**
 * Fails `times` calls, moving the clock `stepMs` on after each, so every retry comes due at once. `queuedAgoMs`: the
 * notice was queued that long before (Greenlight was down since).
 */
async function failFor(notice: Notice, times: number, stepMs: number, queuedAgoMs = 0): Promise<void> {
  failuresLeft = times;
  await store.batched(() => store.outbox.enqueue(undefined, [notice], clock() - queuedAgoMs));
  worker.kick();
  for (let seen = 1; seen <= times; seen += 1) {
    await waitFor(() => attempts >= seen);
    offset += stepMs;
  }
}

test('a notice failing for two hours (Slack down) is still retried, and delivered once Slack answers', async () => {
  // when every call fails for 24 attempts, six minutes apart (past the old half-hour give-up), then Slack answers
  await failFor(HOME, 24, 6 * MINUTE);
  await worker.settled(5_000);
  // then the notice went out, once, after 25 attempts
  expect(posted).toEqual(['home']);
  expect(attempts).toBe(25);
  expect(store.outbox.stats()).toMatchObject({ open: 0, sent: 1, failed: 0 });
});

test('a notice queued before two days of downtime gets its day of retries from its first attempt, not none', async () => {
  // when a notice queued two days ago (Greenlight was down since) meets a passing failure at its first attempts
  await failFor(HOME, 2, MINUTE, 2 * 24 * 60 * MINUTE);
  await worker.settled(5_000);
  // then it is retried and delivered, once
  expect(posted).toEqual(['home']);
  expect(attempts).toBe(3);
  expect(store.outbox.stats()).toMatchObject({ open: 0, sent: 1, failed: 0 });
});

test('a notice still failing a day after its first attempt is given up', async () => {
  // when calls fail and the clock passes a day since the notice was first tried (as soon as it was queued)
  await failFor(HOME, 3, 12 * 60 * MINUTE);
  await worker.settled(5_000);
  // then the third failure, a day on, gives it up: nothing sent, the row closed as failed
  expect(attempts).toBe(3);
  expect(posted).toEqual([]);
  expect(store.outbox.stats()).toMatchObject({ open: 0, sent: 0, failed: 1 });
});

test('an answer to what someone just did is given up after half an hour: nobody waits for it any more', async () => {
  // when the response_url keeps failing, and the third failure comes 30 minutes after the answer was queued
  await failFor(ANSWER, 3, 15 * MINUTE);
  await worker.settled(5_000);
  // then it is given up there
  expect(attempts).toBe(3);
  expect(posted).toEqual([]);
  expect(store.outbox.stats()).toMatchObject({ open: 0, sent: 0, failed: 1 });
});
