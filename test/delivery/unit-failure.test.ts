import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { classifyFailure, isOutOfReach, operatorFix, ResponseUrlError } from '../../src/delivery/failure';

describe('classifyFailure', () => {
  test.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'msg_too_long'])(
    'Slack answering ok:false with %s is permanent: retrying will not help',
    (error) => {
      expect(classifyFailure(new WebAPIPlatformError({ ok: false, error }))).toEqual({ kind: 'permanent', error });
    },
  );

  test.each(['service_unavailable', 'request_timeout', 'ratelimited'])(
    'Slack answering ok:false with %s is transient and certain not to have landed',
    (error) => {
      expect(classifyFailure(new WebAPIPlatformError({ ok: false, error }))).toEqual({ kind: 'transient', error, uncertain: false });
    },
  );

  // Slack's own words for both: "it's possible some aspect of the operation succeeded before the error was raised".
  test.each(['internal_error', 'fatal_error'])('Slack answering ok:false with %s is transient and may have landed: looked for before posting again', (error) => {
    expect(classifyFailure(new WebAPIPlatformError({ ok: false, error }))).toEqual({ kind: 'transient', error, uncertain: true });
  });

  test.each(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope'])(
    'Slack refusing the app itself with %s is transient: every notice would fail alike until the token is fixed, none is dropped',
    (error) => {
      expect(classifyFailure(new WebAPIPlatformError({ ok: false, error }))).toEqual({ kind: 'transient', error, uncertain: false });
    },
  );

  test.each([401, 403, 407])('an HTTP %i (the token, or a proxy asking for credentials) is transient and did not land', (status) => {
    expect(classifyFailure(new WebAPIHTTPError(status, 'Refused', {}))).toEqual({ kind: 'transient', error: `http ${status}`, uncertain: false });
  });

  test('a 429 waits for the Retry-After Slack gave, in milliseconds', () => {
    expect(classifyFailure(new WebAPIRateLimitedError(30))).toEqual({ kind: 'rate_limited', retryAfterMs: 30_000, error: 'ratelimited' });
  });

  test('a 429 without a usable Retry-After waits one second', () => {
    expect(classifyFailure(new WebAPIRateLimitedError(0))).toEqual({ kind: 'rate_limited', retryAfterMs: 1000, error: 'ratelimited' });
    expect(classifyFailure(new WebAPIRateLimitedError(Number.NaN))).toMatchObject({ retryAfterMs: 1000 });
  });

  test.each([500, 502, 503, 504])('an HTTP %i may have landed: transient and uncertain', (status) => {
    expect(classifyFailure(new WebAPIHTTPError(status, 'Server Error', {}))).toEqual({ kind: 'transient', error: `http ${status}`, uncertain: true });
  });

  test('an HTTP 429 without the rate-limit handling is still rate limited; other 4xx are permanent', () => {
    expect(classifyFailure(new WebAPIHTTPError(429, 'Too Many Requests', {}))).toEqual({ kind: 'rate_limited', retryAfterMs: 1000, error: 'http 429' });
    expect(classifyFailure(new WebAPIHTTPError(404, 'Not Found', {}))).toEqual({ kind: 'permanent', error: 'http 404' });
  });

  test('a request error (timeout, reset connection) may have landed: transient and uncertain', () => {
    const error = new WebAPIRequestError(new Error('socket hang up'));
    expect(classifyFailure(error)).toEqual({ kind: 'transient', error: 'A request error occurred: socket hang up', uncertain: true });
  });

  test('anything unknown is retried as uncertain, with its message cut to 200 characters', () => {
    expect(classifyFailure(new Error('x'.repeat(500)))).toEqual({ kind: 'transient', error: 'x'.repeat(200), uncertain: true });
    expect(classifyFailure('weird')).toEqual({ kind: 'transient', error: 'request failed', uncertain: true });
    expect(classifyFailure(null)).toEqual({ kind: 'transient', error: 'request failed', uncertain: true });
  });

  test('a response_url answering 429, 5xx or 4xx is rate limited, uncertain or permanent', () => {
    expect(classifyFailure(new ResponseUrlError(429))).toEqual({ kind: 'rate_limited', retryAfterMs: 1000, error: 'response_url 429' });
    expect(classifyFailure(new ResponseUrlError(503))).toEqual({ kind: 'transient', error: 'response_url answered HTTP 503', uncertain: true });
    expect(classifyFailure(new ResponseUrlError(404))).toEqual({ kind: 'permanent', error: 'response_url answered HTTP 404' });
  });

  test('the error classes are recognised by code, so an error from another realm is classified the same', () => {
    // given a plain object shaped like a web-api platform error (no instanceof possible)
    const foreign = { code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_in_channel' } };
    expect(classifyFailure(foreign)).toEqual({ kind: 'permanent', error: 'not_in_channel' });
  });
});

describe('isOutOfReach', () => {
  test.each(['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_in_channel'])('Slack answering %s means a channel Greenlight cannot post in', (error) => {
    expect(isOutOfReach(new WebAPIPlatformError({ ok: false, error }))).toBe(true);
  });

  test.each([
    ['another platform error', new WebAPIPlatformError({ ok: false, error: 'invalid_blocks' })],
    ['an HTTP error', new WebAPIHTTPError(500, 'Oops', {})],
    ['something that is not a Slack error', new Error('channel_not_found')],
  ])('%s is not', (_name, error) => {
    expect(isOutOfReach(error)).toBe(false);
  });
});

describe('operatorFix', () => {
  test('a missing scope names the scope Slack says is needed, and what to do', () => {
    // (Slack's answer carries `needed` and `provided` beside the error)
    const answer: { ok: false; error: string; needed: string } = { ok: false, error: 'missing_scope', needed: 'usergroups:read' };
    const error = new WebAPIPlatformError(answer);
    expect(operatorFix(error)).toBe('add the scope usergroups:read to the Slack app (manifest.json lists every scope Greenlight needs), then reinstall the app');
  });

  test.each(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive'])('Slack refusing the token (%s) says to replace it', (error) => {
    expect(operatorFix(new WebAPIPlatformError({ ok: false, error }))).toBe('Slack no longer accepts SLACK_BOT_TOKEN: reinstall the app, put its bot token in .env, then restart Greenlight');
  });

  test('a channel Greenlight is not in, or an archived one, says what to do about the channel', () => {
    expect(operatorFix(new WebAPIPlatformError({ ok: false, error: 'not_in_channel' }))).toContain('/invite @Greenlight');
    expect(operatorFix(new WebAPIPlatformError({ ok: false, error: 'is_archived' }))).toContain('unarchive it');
  });

  test.each([
    ['a passing error', new WebAPIPlatformError({ ok: false, error: 'internal_error' })],
    ['a message Slack refuses', new WebAPIPlatformError({ ok: false, error: 'invalid_blocks' })],
    ['a timeout', new Error('timeout')],
  ])('%s has none: nothing the operator does fixes it', (_name, error) => {
    expect(operatorFix(error)).toBeUndefined();
  });
});
