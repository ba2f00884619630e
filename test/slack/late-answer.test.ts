import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { answerTimedOut, isAnswerAfterTimeout, SLACK_ANSWER_MS, watchedAck, type TimedOutResponse } from '../../src/slack/late-answers';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/**
 * Slack stops waiting after 3 s. Greenlight answers once its commit is durable, so under FULL a commit whose fsync
 * cannot start (libuv's thread pool busy with other work) answers late. The person sees Slack's timeout; the log
 * says what happened (not Bolt's "ack() was never called"), and the flag is stored and delivered all the same.
 */

function fakeResponse(headersSent: boolean): TimedOutResponse & { status: number | undefined; ended: boolean } {
  const response = {
    headersSent,
    status: undefined as number | undefined,
    ended: false,
    writeHead(status: number) {
      response.status = status;
      return response;
    },
    end() {
      response.ended = true;
      return response;
    },
  };
  return response as unknown as TimedOutResponse & { status: number | undefined; ended: boolean };
}

describe('the timeout answer', () => {
  test('closes an unanswered request with 503 and logs a warning that says what happened', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) });
    const response = fakeResponse(false);
    answerTimedOut(logger)({ response });
    expect(response.status).toBe(503);
    expect(response.ended).toBe(true);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', msg: expect.stringContaining('no answer to Slack within 3 s') });
  });

  test('leaves an already answered request alone', () => {
    const logger = createLogger({ level: LogLevel.INFO, write: () => undefined });
    const response = fakeResponse(true);
    answerTimedOut(logger)({ response });
    expect(response.status).toBeUndefined();
    expect(response.ended).toBe(false);
  });

  test('only the second-answer refusal counts as an answer after the timeout', () => {
    expect(isAnswerAfterTimeout({ code: 'ERR_HTTP_HEADERS_SENT' })).toBe(true);
    expect(isAnswerAfterTimeout({ code: 'slack_bolt_receiver_ack_multiple_error' })).toBe(false);
    expect(isAnswerAfterTimeout({})).toBe(false);
  });
});

describe('a Socket Mode answer (no timeout answer of its own)', () => {
  const watched = () => {
    const lines: string[] = [];
    const sent: unknown[] = [];
    const ack = watchedAck(async (response?: unknown) => {
      sent.push(response);
    }, createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }));
    return { ack, lines, sent, warnings: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg) };
  };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('in time: sent, nothing logged', async () => {
    const { ack, sent, warnings } = watched();
    jest.advanceTimersByTime(SLACK_ANSWER_MS - 1);
    await ack({ text: 'ok' });
    jest.advanceTimersByTime(10_000);
    expect(sent).toEqual([{ text: 'ok' }]);
    expect(warnings()).toEqual([]);
  });

  test('late: the same warning as over HTTP when the 3 s run out, and another once it is sent', async () => {
    const { ack, sent, warnings } = watched();
    jest.advanceTimersByTime(SLACK_ANSWER_MS);
    expect(warnings()).toEqual([expect.stringContaining('no answer to Slack within 3 s')]);
    await ack();
    expect(sent).toHaveLength(1);
    expect(warnings()).toEqual([expect.stringContaining('no answer to Slack within 3 s'), expect.stringContaining('answer to Slack sent after its 3 s')]);
  });
});

describe('a flag answered after 3 s (FULL, thread pool busy)', () => {
  let h: Harness;
  let dir: string;
  let fifos: string[] = [];
  let released = false;
  const lines: string[] = [];
  /** Opens every FIFO for writing, which lets the blocked opens return and frees the pool. */
  const release = () => {
    if (released) return;
    released = true;
    for (const fifo of fifos) fs.closeSync(fs.openSync(fifo, 'w'));
  };
  beforeEach(async () => {
    lines.length = 0;
    released = false;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-late-'));
    h = await startHarness({ synchronous: 'FULL', logLines: lines });
  });
  afterEach(async () => {
    // Even after a failed expectation: a pool left blocked would hang the store's close.
    release();
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is stored and delivered; the person gets the timeout, the log two warnings and no error', async () => {
    // given every thread of libuv's pool blocked opening a FIFO no one writes to yet (no CPU used)
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    fifos = Array.from({ length: poolSize }, (_, i) => path.join(dir, `fifo-${i}`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    const blocked = fifos.map((fifo) => fs.promises.open(fifo, 'r'));

    // when a flag arrives: its commit is done, but the fsync that makes it durable waits for a thread
    const started = Date.now();
    const answer = await h.command(PEOPLE.flagger, 'Late night: the stadium lights went out #sports');

    // then Slack's 3 s pass and the timeout answer goes out (Slack shows the person its own timeout)
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);

    // and once the pool frees, the commit becomes durable, the late answer is dropped, and the card goes out
    release();
    for (const handle of await Promise.all(blocked)) await handle.close();
    await h.standIn.waitFor(() => lines.some((l) => l.includes('answer to Slack dropped')), 5000, 'the late answer');
    await h.settle();
    expect(h.countRows('moments')).toBe(1);
    expect(h.onlyCard(REVIEW_CHANNEL).text).toContain('Late night');

    const levels = lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(levels.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(
      expect.arrayContaining([expect.stringContaining('no answer to Slack within 3 s'), expect.stringContaining('answer to Slack dropped')]),
    );
    expect(levels.filter((l) => l.level === 'error')).toEqual([]);
  }, 20_000);
});
