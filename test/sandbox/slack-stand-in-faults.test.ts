import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { clientFor, closeStandIns, rejectionOf, startStandIn } from './stand-in-client';

afterEach(closeStandIns);

describe('SlackStandIn faults', () => {
  it('answers a rate_limited fault with 429, Retry-After and no message stored', async () => {
    const standIn = await startStandIn();
    standIn.inject({ method: 'chat.postMessage', times: 1, fault: { kind: 'rate_limited', retryAfterSec: 7 } });
    const client = clientFor(standIn, { rejectRateLimitedCalls: true });

    const failure = await rejectionOf(client.chat.postMessage({ channel: 'C0REVIEW', text: 'x' }));
    const next = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'y' });

    expect(failure).toBeInstanceOf(WebAPIRateLimitedError);
    expect((failure as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(standIn.calls[0]).toMatchObject({ status: 429, response: { ok: false, error: 'ratelimited' } });
    expect(next.ok).toBe(true);
    expect(standIn.messages().map((m) => m.text)).toEqual(['y']);
  });

  it('answers an http_error fault without performing the method', async () => {
    const standIn = await startStandIn();
    standIn.inject({ method: 'chat.postMessage', fault: { kind: 'http_error', status: 503 } });

    const failure = await rejectionOf(clientFor(standIn).chat.postMessage({ channel: 'C0REVIEW', text: 'x' }));

    expect(failure).toBeInstanceOf(WebAPIHTTPError);
    expect((failure as WebAPIHTTPError).statusCode).toBe(503);
    expect(standIn.messages()).toHaveLength(0);
  });

  it('stores the message of a landed http_error although the client only saw a 500', async () => {
    const standIn = await startStandIn();
    standIn.inject({ method: 'chat.postMessage', times: 1, fault: { kind: 'http_error', status: 500, landed: true } });

    const failure = await rejectionOf(clientFor(standIn).chat.postMessage({ channel: 'C0REVIEW', text: 'card' }));

    expect((failure as WebAPIHTTPError).statusCode).toBe(500);
    expect(standIn.messages('C0REVIEW').map((m) => m.text)).toEqual(['card']);
    expect(standIn.calls[0]?.status).toBe(500);
  });

  it('answers a slack_error fault as HTTP 200 with ok false', async () => {
    const standIn = await startStandIn();
    standIn.inject({ method: 'chat.update', fault: { kind: 'slack_error', error: 'fatal_error' } });
    const client = clientFor(standIn);
    const posted = await client.chat.postMessage({ channel: 'C0REVIEW', text: 'x' });

    const failure = await rejectionOf(client.chat.update({ channel: 'C0REVIEW', ts: posted.ts ?? '', text: 'y' }));

    expect((failure as WebAPIPlatformError).data.error).toBe('fatal_error');
    expect(standIn.findMessage('C0REVIEW', posted.ts ?? '')).toMatchObject({ text: 'x', updates: 0 });
  });

  it('lands a slow call at once, so a client that times out still leaves a message behind', async () => {
    const standIn = await startStandIn();
    standIn.inject({ method: 'chat.postMessage', times: 1, fault: { kind: 'slow', delayMs: 400 } });
    const client = clientFor(standIn, { timeout: 100 });
    const started = Date.now();

    const failure = await rejectionOf(client.chat.postMessage({ channel: 'C0REVIEW', text: 'card' }));

    expect(failure).toBeInstanceOf(WebAPIRequestError);
    expect(Date.now() - started).toBeLessThan(400);
    expect(standIn.messages('C0REVIEW')).toHaveLength(1);
  });

  it('answers a slow call in full once the delay has passed', async () => {
    const standIn = await startStandIn();
    standIn.inject({ method: 'auth.test', fault: { kind: 'slow', delayMs: 150 } });
    const started = Date.now();

    const answer = await clientFor(standIn).auth.test();

    expect(answer.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('applies a fault only to its channel, only `times` times and only until `untilMs`', async () => {
    const standIn = await startStandIn();
    const client = clientFor(standIn);
    standIn.inject({ channel: 'C0BAD', times: 2, fault: { kind: 'slack_error', error: 'fatal_error' } });
    standIn.inject({ method: 'auth.test', untilMs: Date.now() - 1, fault: { kind: 'slack_error', error: 'expired_rule' } });

    const outcomes = [];
    for (const channel of ['C0GOOD', 'C0BAD', 'C0BAD', 'C0BAD']) {
      outcomes.push(await client.chat.postMessage({ channel, text: 'x' }).then(() => 'ok', (e: WebAPIPlatformError) => e.data.error));
    }

    expect(outcomes).toEqual(['ok', 'fatal_error', 'fatal_error', 'ok']);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('matches a channel fault on the DM a user id stands for', async () => {
    const standIn = await startStandIn();
    standIn.inject({ channel: standIn.dmChannelFor('U0ANA'), fault: { kind: 'slack_error', error: 'fatal_error' } });

    const failure = await rejectionOf(clientFor(standIn).chat.postMessage({ channel: 'U0ANA', text: 'x' }));

    expect((failure as WebAPIPlatformError).data.error).toBe('fatal_error');
  });

  it('stops failing after clearFaults', async () => {
    const standIn = await startStandIn();
    standIn.inject({ fault: { kind: 'http_error', status: 500 } });
    standIn.clearFaults();

    await expect(clientFor(standIn).auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('rate-limits posts per channel: a busy channel gets 429 while another channel still succeeds', async () => {
    const standIn = await startStandIn({ postsPerSecondPerChannel: 2 });
    const client = clientFor(standIn, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: 'C0BUSY', text: '1' });
    await client.chat.postMessage({ channel: 'C0BUSY', text: '2' });

    const third = await rejectionOf(client.chat.postMessage({ channel: 'C0BUSY', text: '3' }));
    const elsewhere = await client.chat.postMessage({ channel: 'C0QUIET', text: 'a' });

    expect(third).toBeInstanceOf(WebAPIRateLimitedError);
    expect((third as WebAPIRateLimitedError).retryAfter).toBe(1);
    expect(elsewhere.ok).toBe(true);
    expect(standIn.messages('C0BUSY').map((m) => m.text)).toEqual(['1', '2']);
    expect(standIn.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 429, 200]);
  });

  it('lets a rate-limited channel post again once its second has passed, and can lift the limit', async () => {
    const standIn = await startStandIn({ postsPerSecondPerChannel: 1 });
    const client = clientFor(standIn, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: 'C0BUSY', text: '1' });
    await rejectionOf(client.chat.postMessage({ channel: 'C0BUSY', text: '2' }));

    await new Promise((resolve) => setTimeout(resolve, 1050));
    await client.chat.postMessage({ channel: 'C0BUSY', text: '3' });
    standIn.setPostsPerSecondPerChannel(undefined);
    await client.chat.postMessage({ channel: 'C0BUSY', text: '4' });

    expect(standIn.messages('C0BUSY').map((m) => m.text)).toEqual(['1', '3', '4']);
  });
});
