import type { ServerResponse } from 'node:http';
import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';

/** The part of a response the timeout answer touches. */
export type TimedOutResponse = Pick<ServerResponse, 'headersSent' | 'writeHead' | 'end'>;

/**
 * Slack stops waiting for an answer after 3 s. Bolt's own handler then logs that `ack()` was never called, which
 * is not what happened here: Greenlight answers once its commit is durable, so a late answer means a slow disk or a
 * stalled process. What the request was storing is stored or refused whole either way; a person sees Slack's
 * timeout, an event is sent again by Slack and recognised as seen.
 */
export function answerTimedOut(logger: StructuredLogger) {
  return ({ response }: { response: TimedOutResponse }): void => {
    logger.log(LogLevel.WARN, 'no answer to Slack within 3 s: Slack counts it failed (a person sees a timeout); the request still completes or fails whole');
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
