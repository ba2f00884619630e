import type { Notice } from '../core/notice';

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

/** Whether a notice created at `createdAt` is still worth retrying at `now`. */
export function stillWorthRetrying(notice: Notice, createdAt: number, now: number): boolean {
  return now - createdAt < (answersSomeone(notice) ? ANSWER_RETRY_FOR_MS : RETRY_FOR_MS);
}

/** Whether a post past its retry window that may have landed is still looked for at `now` (see LAST_LOOK_FOR_MS). */
export function stillWorthLooking(notice: Notice, createdAt: number, now: number): boolean {
  return !answersSomeone(notice) && now - createdAt < RETRY_FOR_MS + LAST_LOOK_FOR_MS;
}

function answersSomeone(notice: Notice): boolean {
  return notice.kind === 'ephemeral' || notice.kind === 'respond' || notice.kind === 'tell' || notice.kind === 'confirm_flag';
}
