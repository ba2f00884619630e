import type { ServerResponse } from 'node:http';
import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';

/** The part of a response the timeout answer touches. */
export type TimedOutResponse = Pick<ServerResponse, 'headersSent' | 'writeHead' | 'end'>;

/** How long Slack waits for an answer. */
export const SLACK_ANSWER_MS = 3000;

export const NO_ANSWER_IN_TIME = 'no answer to Slack within 3 s: Slack counts it failed (a person sees a timeout); the request still completes or fails whole';

/**
 * Slack stops waiting for an answer after 3 s. Bolt's own handler then logs that `ack()` was never called, which
 * is not what happened here: Greenlight answers once its commit is durable, so a late answer means a slow disk or a
 * stalled process. What the request was storing is stored or refused whole either way; a person sees Slack's
 * timeout, an event is sent again by Slack and recognised as seen.
 */
export function answerTimedOut(logger: StructuredLogger) {
  return ({ response }: { response: TimedOutResponse }): void => {
    logger.log(LogLevel.WARN, NO_ANSWER_IN_TIME);
    // Slack has stopped listening; the answer only closes the exchange.
    if (!response.headersSent) {
      response.writeHead(503);
      response.end();
    }
  };
}

/** The listener's own answer came after the timeout answer had gone out: Node refuses to write a second one. */
export function isAnswerAfterTimeout(error: { readonly code?: unknown }): boolean {
  return error.code === 'ERR_HTTP_HEADERS_SENT';
}

/**
 * Socket Mode has no timeout answer of its own: an acknowledgement later than Slack's 3 s is said in the same warning as
 * over HTTP when the 3 s run out, and again once it is sent, which Slack no longer heeds.
 */
export function watchedAck<A extends (...args: never[]) => Promise<void>>(ack: A, logger: StructuredLogger): A {
  let late = false;
  let answered = false;
  const timer = setTimeout(() => {
    late = true;
    logger.log(LogLevel.WARN, NO_ANSWER_IN_TIME);
  }, SLACK_ANSWER_MS);
  timer.unref();
  return (async (...args: Parameters<A>) => {
    if (!answered) {
      answered = true;
      clearTimeout(timer);
      if (late) logger.log(LogLevel.WARN, 'answer to Slack sent after its 3 s: Slack had stopped waiting for it');
    }
    return ack(...args);
  }) as A;
}
