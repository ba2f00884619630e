import { ErrorCode } from '@slack/web-api';

/** How a failed Slack call is treated by the outbox. */
export type Failure =
  /** 429: wait for Retry-After, on this channel only. */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number; readonly error: string }
  /** Will not succeed by trying again: give up, the moment stays right in the store. */
  | { readonly kind: 'permanent'; readonly error: string }
  /** Try again later; `uncertain` when the call may have landed (timeout, lost connection, 5xx). */
  | { readonly kind: 'transient'; readonly error: string; readonly uncertain: boolean };

/** Slack errors worth retrying; every other `ok:false` is permanent (channel_not_found, not_in_channel, is_archived, invalid_blocks, …). */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Of those, the ones Slack documents as "possibly some aspect of the operation succeeded": a post may have landed. */
const MAYBE_LANDED_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error']);

/**
 * Slack refusing Greenlight itself (its token or its scopes), not this message: every notice would fail the
 * same way until the operator fixes the app, so none is given up for it; they wait and are retried.
 */
const APP_REFUSED_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'team_access_not_granted']);

/** HTTP answers that say the same of the way to Slack: unauthorized, forbidden, a proxy asking for credentials. */
const APP_REFUSED_STATUSES = new Set([401, 403, 407]);

/** How a row held back by Slack refusing the app records its last error (see classifyFailure). */
export const APP_REFUSED_RECORDED: readonly string[] = [...APP_REFUSED_ERRORS, ...[...APP_REFUSED_STATUSES].map((status) => `http ${status}`)];

export class ResponseUrlError extends Error {
  constructor(readonly status: number) {
    super(`response_url answered HTTP ${status}`);
    this.name = 'ResponseUrlError';
  }
}

/** A post that may have landed, past its retry window and not found when looked for: given up, not posted again. */
/**
 * The longest a row waits to be tried again: past the longest backoff (5 minutes and its jitter), and a Retry-After
 * asking for more is held to it (Slack's are seconds). Nothing is due later than this on a clock that went forward.
 */
export const LONGEST_RETRY_WAIT_MS = 15 * 60_000;

export class NotPostedAgainError extends Error {
  constructor() {
    super('not found after an answer was lost, and past its retry window: not posted again');
    this.name = 'NotPostedAgainError';
  }
}

/** Slack refusing a channel Greenlight cannot post in (never invited, a DM between other people, archived). */
const OUT_OF_REACH_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_in_channel']);

export function isOutOfReach(error: unknown): boolean {
  return OUT_OF_REACH_ERRORS.has(platformErrorOf(error) ?? '');
}

/** The error Slack named in an `ok:false` answer (`no_such_subteam`), if the failure is one. */
export function platformErrorOf(error: unknown): string | undefined {
  if (fieldOf(error, 'code') !== ErrorCode.PlatformError) return undefined;
  const named = fieldOf(fieldOf(error, 'data'), 'error');
  return typeof named === 'string' ? named : undefined;
}

/**
 * What the person running Greenlight does about a Slack error no retry fixes: a scope to add, a token to replace, a
 * channel to invite Greenlight to, a reviewer gone from the workspace to take out of the routing file (`toReviewer`: the
 * call was for a reviewer; anyone else gone, a flagger, is nothing to fix). Undefined for anything else.
 */
export function operatorFix(error: unknown, toReviewer = false): string | undefined {
  const named = platformErrorOf(error);
  if (named === 'missing_scope') {
    const needed = fieldOf(fieldOf(error, 'data'), 'needed');
    const scope = typeof needed === 'string' ? `the scope ${needed}` : 'the scope it names';
    return `add ${scope} to the Slack app (manifest.json lists every scope Greenlight needs), then reinstall the app`;
  }
  if (named !== undefined && APP_REFUSED_ERRORS.has(named)) return 'Slack no longer accepts SLACK_BOT_TOKEN: reinstall the app, put its bot token in .env, then restart Greenlight';
  if (named === 'not_in_channel' || named === 'channel_not_found') return 'invite Greenlight to the channel (/invite @Greenlight), or name another in the routing file and restart Greenlight';
  if ((named === 'user_not_found' || named === 'user_disabled') && toReviewer) {
    return 'the reviewer is not in this workspace, or their account was deactivated: take them out of the routing file (or their user group), then restart Greenlight';
  }
  if (named === 'is_archived') return 'the channel is archived: unarchive it, or name another in the routing file and restart Greenlight';
  if (named !== undefined && named.startsWith('restricted_action')) {
    return "the channel's posting permissions (or a workspace policy) do not let Greenlight post there: let it post, or name another channel in the routing file and restart Greenlight";
  }
  return undefined;
}

export function classifyFailure(error: unknown): Failure {
  if (error instanceof NotPostedAgainError) return { kind: 'permanent', error: error.message };
  if (error instanceof ResponseUrlError) {
    if (error.status === 429) return { kind: 'rate_limited', retryAfterMs: 1000, error: 'response_url 429' };
    if (error.status >= 500) return { kind: 'transient', error: error.message, uncertain: true };
    return { kind: 'permanent', error: error.message };
  }
  const code = fieldOf(error, 'code');
  if (code === ErrorCode.RateLimitedError) {
    const seconds = Number(fieldOf(error, 'retryAfter'));
    const asked = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
    return { kind: 'rate_limited', retryAfterMs: Math.min(asked, LONGEST_RETRY_WAIT_MS), error: 'ratelimited' };
  }
  if (code === ErrorCode.PlatformError) {
    const slackError = platformErrorOf(error) ?? 'unknown_error';
    return TRANSIENT_PLATFORM_ERRORS.has(slackError) || APP_REFUSED_ERRORS.has(slackError)
      ? { kind: 'transient', error: slackError, uncertain: MAYBE_LANDED_PLATFORM_ERRORS.has(slackError) }
      : { kind: 'permanent', error: slackError };
  }
  if (code === ErrorCode.HTTPError) {
    const status = Number(fieldOf(error, 'statusCode'));
    if (status === 429) return { kind: 'rate_limited', retryAfterMs: 1000, error: 'http 429' };
    if (status >= 500) return { kind: 'transient', error: `http ${status}`, uncertain: true };
    if (APP_REFUSED_STATUSES.has(status)) return { kind: 'transient', error: `http ${status}`, uncertain: false };
    return { kind: 'permanent', error: `http ${status}` };
  }
  // Request errors (timeouts, refused or reset connections) and anything unknown: the call may have landed.
  const message = fieldOf(error, 'message');
  return { kind: 'transient', error: typeof message === 'string' ? message.slice(0, 200) : 'request failed', uncertain: true };
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}
