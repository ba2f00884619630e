import type { Notice } from '../core/notice';
import type { OutboxRow } from '../store/outbox';

/** Exponential backoff with ±20% jitter, so many rows failing together do not retry together. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** Math.min(attempts, 12), 5 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * A notice that keeps failing for a passing reason (Slack down, the network, a token being replaced) is
 * retried, every five minutes once the backoff has grown, until it is this old: a Slack outage of an hour
 * must not lose a pending moment's card or its reviewers' DMs, while a day-old notice tells nobody anything.
 */
export const RETRY_FOR_MS = 24 * 60 * 60_000;

/**
 * An answer to what someone just did (a refusal, "flagged, see the card") is worth something only while they
 * still wait for it; Slack's response_url itself lasts 30 minutes.
 */
export const ANSWER_RETRY_FOR_MS = 30 * 60_000;

/**
 * A post whose answer was lost (it may have landed) is looked for, never posted again, for this long past its retry
 * window: given up without a look, a card that did land would count as never posted, and every update after it would
 * be skipped.
 */
export const LAST_LOOK_FOR_MS = 60 * 60_000;

/**
 * When a row's retry window opened. An answer's when it was queued: the person has waited since, and Slack's
 * response_url counts from then. Any other notice's at its first attempt (`now` for an attempt that is the first): one
 * queued before Greenlight was down for days is still sent, and so gets its day of retries should Slack blip then.
 */
export function retryWindowStart(row: Pick<OutboxRow, 'notice' | 'createdAt' | 'firstAttemptAt'>, now: number): number {
  return answersSomeone(row.notice) ? row.createdAt : (row.firstAttemptAt ?? now);
}

/** Whether a notice whose retry window opened at `since` (see retryWindowStart) is still worth retrying at `now`. */
export function stillWorthRetrying(notice: Notice, since: number, now: number): boolean {
  return now - since < (answersSomeone(notice) ? ANSWER_RETRY_FOR_MS : RETRY_FOR_MS);
}

/** Whether a post past its retry window that may have landed is still looked for at `now` (see LAST_LOOK_FOR_MS). */
export function stillWorthLooking(notice: Notice, since: number, now: number): boolean {
  return !answersSomeone(notice) && now - since < RETRY_FOR_MS + LAST_LOOK_FOR_MS;
}

function answersSomeone(notice: Notice): boolean {
  return notice.kind === 'ephemeral' || notice.kind === 'respond' || notice.kind === 'tell' || notice.kind === 'confirm_flag';
}
