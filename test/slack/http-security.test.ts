import http from 'node:http';
import net from 'node:net';
import { wrongSecretHint } from '../../src/slack/http-server';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { blockActionBody, signed, slashCommandBody, type SignedRequest } from '../helpers/slack-requests';

/** The front door: only requests signed by Slack, dated within five minutes either way, and of a sane size get in. */


let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const FORM = 'application/x-www-form-urlencoded';
const nowSec = (): number => Math.floor(Date.now() / 1000);

function flagBody(text = 'Monday mood: Coffee first'): string {
  return slashCommandBody(PEOPLE.flagger, text, { responseUrl: h.standIn.responseUrl(`cmd-${PEOPLE.flagger}`) });
}


/** Posts the request, then checks that it was refused with `status` and left no trace anywhere. */
async function expectRefused(request: SignedRequest, status: number): Promise<void> {
  const callsBefore = h.standIn.calls.length;
  const answer = await h.post(request);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await h.settle();

  expect(answer.status).toBe(status);
  expect(answer.text).toBe('');
  expect(h.countRows('moments')).toBe(0);
  expect(h.countRows('seen')).toBe(0);
  expect(h.countRows('outbox')).toBe(0);
  expect(h.standIn.calls.length).toBe(callsBefore);
  expect(h.standIn.responses()).toHaveLength(0);
}

test('a correctly signed flag is accepted (the control for every refusal below)', async () => {
  const answer = await h.post(signed(flagBody(), FORM));
  await h.settle();

  expect(answer.status).toBe(200);
  expect(h.countRows('moments')).toBe(1);
});

test('a request signed with another secret is refused with 401 and leaves no trace', async () => {
  await expectRefused(signed(flagBody(), FORM, nowSec(), 'not-the-signing-secret-0000000000'), 401);
});

test('a mismatched signature before any request passed suggests checking SLACK_SIGNING_SECRET; once one has, it is only refused', async () => {
  // given Greenlight logging to lines the test reads
  await h.close();
  const lines: string[] = [];
  h = await startHarness({ logLines: lines });
  const refusals = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request refused: bad signature');
  // when a request signed with another secret comes first (the operator pasted the Client Secret, say)
  expect((await h.post(signed(flagBody(), FORM, nowSec(), 'not-the-signing-secret-0000000000'))).status).toBe(401);
  // then the refusal says what to check
  expect(refusals()).toEqual([expect.objectContaining({ reason: 'signature mismatch', fix: expect.stringContaining('check SLACK_SIGNING_SECRET') })]);
  // and once a signed request has passed, a mismatch is a forgery, refused without the hint
  expect((await h.post(signed(flagBody(), FORM))).status).toBe(200);
  expect((await h.post(signed(flagBody(), FORM, nowSec(), 'not-the-signing-secret-0000000000'))).status).toBe(401);
  expect(refusals()[1]).not.toHaveProperty('fix');
});

test('once no request has passed for a minute (the Signing Secret regenerated in the app settings), a mismatch brings the hint back', () => {
  const passedAt = Date.now();
  expect(wrongSecretHint('signature mismatch', undefined, passedAt)).toContain('not its Client Secret');
  expect(wrongSecretHint('signature mismatch', passedAt, passedAt + 59_000)).toBeUndefined();
  expect(wrongSecretHint('signature mismatch', passedAt, passedAt + 61_000)).toContain('regenerated');
  // a stale timestamp is a clock or a replay, not a secret
  expect(wrongSecretHint('timestamp too old', passedAt, passedAt + 61_000)).toBeUndefined();
});

test('a request dated more than five minutes ago is refused with 401', async () => {
  await expectRefused(signed(flagBody(), FORM, nowSec() - 6 * 60), 401);
});

test('a request dated a day in the future is refused with 401', async () => {
  await expectRefused(signed(flagBody(), FORM, nowSec() + 24 * 60 * 60), 401);
});

test('a request dated a few minutes ago, within Slack\'s window, is accepted', async () => {
  const answer = await h.post(signed(flagBody(), FORM, nowSec() - 4 * 60));
  await h.settle();

  expect(answer.status).toBe(200);
  expect(h.countRows('moments')).toBe(1);
});

test('a request dated just over five minutes ago, or just over five minutes ahead, is refused with 401', async () => {
  // Slack's window is 300 s either way: 310 s is outside it, whichever side
  await expectRefused(signed(flagBody(), FORM, nowSec() - 310), 401);
  await expectRefused(signed(flagBody(), FORM, nowSec() + 310), 401);
});

test('a request dated a few seconds ahead (a sender whose clock runs fast), within the window, is accepted', async () => {
  const answer = await h.post(signed(flagBody(), FORM, nowSec() + 290));
  await h.settle();

  expect(answer.status).toBe(200);
  expect(h.countRows('moments')).toBe(1);
});

test('a validly signed body altered after signing is refused with 401', async () => {
  const original = signed(flagBody('Monday mood: Coffee first'), FORM);
  const altered = original.body.replace('Coffee', 'Whisky');
  expect(altered).not.toBe(original.body);

  await expectRefused({ body: altered, headers: original.headers }, 401);
});

test('a request without the signature headers is refused with 401', async () => {
  const valid = signed(flagBody(), FORM);
  const withoutBoth = { 'content-type': FORM };
  const withoutSignature = { 'content-type': FORM, 'x-slack-request-timestamp': valid.headers['x-slack-request-timestamp'] ?? '' };
  const withoutTimestamp = { 'content-type': FORM, 'x-slack-signature': valid.headers['x-slack-signature'] ?? '' };

  await expectRefused({ body: valid.body, headers: withoutBoth }, 401);
  await expectRefused({ body: valid.body, headers: withoutSignature }, 401);
  await expectRefused({ body: valid.body, headers: withoutTimestamp }, 401);
});

test('an unsigned ssl_check body that also carries a command runs nothing', async () => {
  const body = `ssl_check=1&${flagBody()}`;
  const answer = await h.post({ body, headers: { 'content-type': FORM } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await h.settle();

  expect(answer.status).toBeGreaterThanOrEqual(200);
  expect(h.countRows('moments')).toBe(0);
  expect(h.countRows('seen')).toBe(0);
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
});

test('an unsigned ssl_check body that carries a button press decides nothing, and the check itself is answered', async () => {
  // given a moment waiting for the brand reviewer
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first');
  await h.settle();
  const decisionsBefore = h.countRows('decisions');
  const seenBefore = h.countRows('seen');
  const responseUrl = h.standIn.responseUrl('smuggled');

  // when an unsigned request marks itself as Slack's SSL check and carries an approval (Bolt would dispatch the payload)
  const smuggled = `ssl_check=1&${blockActionBody(PEOPLE.ana, ACTION.approve, '1:1', { responseUrl })}`;
  const answer = await h.post({ body: smuggled, headers: { 'content-type': FORM } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await h.settle();

  // then the check gets its 200 and nothing is decided, remembered or posted to the given response_url
  expect(answer.status).toBe(200);
  expect(answer.text).toBe('');
  expect(h.countRows('decisions')).toBe(decisionsBefore);
  expect(h.countRows('seen')).toBe(seenBefore);
  expect(h.standIn.responses('smuggled')).toHaveLength(0);
});

test('a 2 MB body is refused with 413 before anything reads it', async () => {
  const huge = `${flagBody()}&padding=${'x'.repeat(2 * 1024 * 1024)}`;
  await expectRefused(signed(huge, FORM), 413);
});

/** Starts a POST that sends `sent` bytes of body and never finishes it; resolves with the status Greenlight answers. */
function unfinishedPost(headers: Record<string, string>, sent: number): Promise<{ status: number | undefined; request: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${h.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': FORM, ...headers } }, (response) => {
      response.resume();
      resolve({ status: response.statusCode, request });
    });
    request.on('error', reject);
    request.write(Buffer.alloc(sent, 'x'));
  });
}

test.each([
  ['a declared length over the limit', { 'content-length': String(50 * 1024 * 1024) }, 64 * 1024],
  ['a chunked body past the limit', { 'transfer-encoding': 'chunked' }, 2 * 1024 * 1024],
])('%s is answered 413 at once, without waiting for the rest of the body', async (_name, headers, sent) => {
  const { status, request } = await unfinishedPost(headers, sent);
  request.destroy();
  expect(status).toBe(413);
  expect(h.countRows('seen')).toBe(0);
});

test('a client that stops halfway through its headers is answered 408 and let go within seconds, not minutes', async () => {
  const url = new URL(h.baseUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  const started = Date.now();
  const answer = await new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write('POST /slack/events HTTP/1.1\r\nHost: greenlight\r\nX-Slack-Signature: v0=');
  });
  expect(answer).toContain('408');
  expect(Date.now() - started).toBeLessThan(8_000);
  expect(h.countRows('seen')).toBe(0);
}, 15_000);

test('a validly signed payload that is not JSON is refused with a 4xx and the server keeps serving', async () => {
  const broken = signed(new URLSearchParams({ payload: '{"type":"block_actions",' }).toString(), FORM);
  const answer = await h.post(broken);

  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(h.countRows('seen')).toBe(0);

  const next = await h.post(signed(flagBody(), FORM));
  await h.settle();
  expect(next.status).toBe(200);
  expect(h.countRows('moments')).toBe(1);
});

test('a validly signed event body that is not JSON is refused with a 4xx', async () => {
  const answer = await h.post(signed('{"type":"event_callback","event":', 'application/json'));

  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(h.countRows('seen')).toBe(0);
});

test.each([
  ['a form payload of null', 'payload=null', FORM],
  ['a form payload of a number', 'payload=%20%2042', FORM],
  ['a form payload that is an array', `payload=${encodeURIComponent('[{"type":"block_actions"}]')}`, FORM],
  ['a form payload of null behind a percent-encoded field name', 'pay%6Coad=null', FORM],
  ['a form payload of null behind another encoding of the name', 'other=1&%70ayload=null', FORM],
  ['an event body of null', 'null', 'application/json'],
  ['an event body that is a string', '"event_callback"', 'application/json'],
])('a validly signed body whose JSON is not an object (%s) is refused with 400 and the server keeps serving', async (_name, body, type) => {
  await expectRefused(signed(body, type), 400);

  const next = await h.post(signed(flagBody(), FORM));
  await h.settle();
  expect(next.status).toBe(200);
  expect(h.countRows('moments')).toBe(1);
});

test('a signed form payload with JSON whitespace before its object is still a press', async () => {
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first');
  await h.settle();
  const form = new URLSearchParams(blockActionBody(PEOPLE.ana, ACTION.approve, '1:1'));
  const spaced = `payload=%0A+${encodeURIComponent(form.get('payload') ?? '')}`;

  const answer = await h.post(signed(spaced, FORM));
  await h.settle();

  expect(answer.status).toBe(200);
  expect(h.countRows('decisions')).toBe(1);
});

test('a signed slash command whose text reads payload=null is a command, not a payload', async () => {
  const answer = await h.post(signed(flagBody('payload=null: x'), FORM));
  await h.settle();

  expect(answer.status).toBe(200);
  expect(h.countRows('moments')).toBe(1);
});

test('a signed url_verification is answered with its challenge', async () => {
  const body = JSON.stringify({ token: 'legacy-verification-token', challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595', type: 'url_verification' });
  const answer = await h.post(signed(body, 'application/json'));

  expect(answer.status).toBe(200);
  expect(answer.text).toContain('challenge-3eZbrw1aBm2rZgRNFdxV2595');
});

test('GET /healthz answers 200 without a signature', async () => {
  const response = await fetch(`${h.baseUrl}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
});

test('HEAD /healthz answers as GET does, without a body (load balancers and `curl -I` probe with HEAD)', async () => {
  const response = await fetch(`${h.baseUrl}/healthz`, { method: 'HEAD' });
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('');
});

test('other paths and methods are answered 404', async () => {
  expect((await fetch(`${h.baseUrl}/slack/events`)).status).toBe(404);
  expect((await h.post(signed(flagBody(), FORM), '/elsewhere')).status).toBe(404);
  expect(h.countRows('moments')).toBe(0);
});

describe('a flood of refusals anyone can send without the secret', () => {
  let lines: string[];
  beforeEach(async () => {
    await h.close();
    lines = [];
    h = await startHarness({ logLines: lines });
  });

  function rawPost(headers: Record<string, string>, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${h.baseUrl}/slack/events`, { method: 'POST', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const said = (msg: string) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === msg);

  test('unsigned requests are logged once a minute with a count, not once each (the log shares the database disk)', async () => {
    for (let i = 0; i < 200; i += 1) {
      expect(await rawPost({ 'content-type': FORM, 'x-slack-request-timestamp': '1', 'x-slack-signature': `v0=${'0'.repeat(64)}` }, 'x=1')).toBe(401);
    }
    expect(said('request refused: bad signature')).toEqual([expect.objectContaining({ reason: expect.stringContaining('timestamp'), refusedSinceLastSaid: 0 })]);
  });

  test('requests declaring an oversized body are logged once a minute too', async () => {
    for (let i = 0; i < 200; i += 1) {
      const status = await rawPost({ 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) }, '').catch(() => 413);
      expect(status).toBe(413);
    }
    expect(said('request refused: body too large')).toHaveLength(1);
  });
});

describe('a request Slack signed, sent to another path', () => {
  test('is answered 404 and said in the log with the path to set, once a minute; an unsigned one is not said', async () => {
    await h.close();
    const lines: string[] = [];
    h = await startHarness({ logLines: lines });
    const said = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => String(line.msg).includes('another path than /slack/events'));
    // given the slash command's Request URL set with a trailing slash, and a proxy's prefix elsewhere
    expect((await h.post(signed(flagBody(), FORM), '/slack/events/')).status).toBe(404);
    expect((await h.post(signed(flagBody(), FORM), '/greenlight/slack/events')).status).toBe(404);
    // and an unsigned request to such a path
    expect((await h.post({ body: 'x=1', headers: { 'content-type': FORM } }, '/slack/event')).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // then nothing was flagged, and the log says it once, with the path that came and the one to set
    expect(h.countRows('moments')).toBe(0);
    expect(said()).toEqual([expect.objectContaining({ level: 'warn', path: '/slack/events/', fix: expect.stringContaining('/slack/events') })]);
  });
});
