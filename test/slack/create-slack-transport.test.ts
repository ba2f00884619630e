import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, WebClient } from '@slack/web-api';
import { createSlackTransport, type SlackTransport } from '../../src/slack/create-slack-transport';
import { silent } from '../sandbox/stand-in-client';

interface Seen {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type Answer = (req: Seen, res: http.ServerResponse) => void;

let server: http.Server;
let seen: Seen[];
let answer: Answer;
let transport: SlackTransport;
let base: string;

beforeEach(async () => {
  seen = [];
  answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.2' }));
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = createSlackTransport();
});

afterEach(async () => {
  await transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clientFor = (options: { timeout?: number } = {}) =>
  new WebClient('xoxb-test', { slackApiUrl: `${base}/api/`, fetch: transport.fetch, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silent, ...options });

test('a Web API call goes out as the client builds it and its JSON answer comes back whole', async () => {
  // When Greenlight posts a message through the transport
  const result = await clientFor().chat.postMessage({ channel: 'C1', text: 'Approved & <done>', blocks: [{ type: 'divider' }] });

  // Then Slack saw the method, the bot token and the form-encoded arguments
  expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1.2' });
  expect(seen).toHaveLength(1);
  expect(seen[0]!.url).toBe('/api/chat.postMessage');
  expect(seen[0]!.headers.authorization).toBe('Bearer xoxb-test');
  expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  const form = new URLSearchParams(seen[0]!.body);
  expect(form.get('text')).toBe('Approved & <done>');
  expect(JSON.parse(form.get('blocks') ?? '')).toEqual([{ type: 'divider' }]);
});

test('an ok:false answer is the platform error the delivery worker classifies', async () => {
  answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'channel_not_found' }));
  await expect(clientFor().chat.postMessage({ channel: 'C404', text: 'hi' })).rejects.toMatchObject({
    code: ErrorCode.PlatformError,
    data: { error: 'channel_not_found' },
  });
});

test("a 429 carries Slack's Retry-After, and later calls still go through", async () => {
  answer = (_req, res) => res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
  await expect(clientFor().chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

  answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  for (let i = 0; i < 3; i += 1) await expect(clientFor().auth.test()).resolves.toMatchObject({ ok: true });
});

test('a 5xx answer is an HTTP error with its status', async () => {
  answer = (_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
  await expect(clientFor().chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503, statusMessage: 'Service Unavailable' });
});

test("a call with no answer within the client's timeout fails as a request error", async () => {
  answer = () => undefined; // never answers
  await expect(clientFor({ timeout: 200 }).chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
});

test('an answer whose body stalls past the timeout fails as a request error', async () => {
  // Headers and half a JSON document, then nothing
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
    res.write('{"ok":true,');
  };
  await expect(clientFor({ timeout: 200 }).chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
});

test('a refused connection fails as a request error (the call may be retried)', async () => {
  const port = (server.address() as AddressInfo).port;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new WebClient('xoxb-test', { slackApiUrl: `http://127.0.0.1:${port}/api/`, fetch: transport.fetch, retryConfig: { retries: 0 }, logger: silent });
  await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
  server = http.createServer().listen(0, '127.0.0.1'); // for afterEach
});

test('a redirect from the Web API is refused as the platform fetch refuses it, not followed or read as an answer', async () => {
  answer = (req, res) => (req.url === '/api/elsewhere' ? res.writeHead(200).end('{"ok":true}') : res.writeHead(302, { location: '/api/elsewhere' }).end());
  await expect(clientFor().chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
  expect(seen.map((r) => r.url)).toEqual(['/api/chat.postMessage']);
});

test('postJson sends the JSON document to a response_url and returns the status', async () => {
  answer = (req, res) => res.writeHead(req.url === '/hooks/gone' ? 404 : 200).end('ok');
  await expect(transport.postJson(`${base}/hooks/1`, { response_type: 'ephemeral', text: 'Flagged' }, 1000)).resolves.toBe(200);
  await expect(transport.postJson(`${base}/hooks/gone`, { text: 'late' }, 1000)).resolves.toBe(404);
  expect(seen[0]!.headers['content-type']).toBe('application/json');
  expect(JSON.parse(seen[0]!.body)).toEqual({ response_type: 'ephemeral', text: 'Flagged' });
});

test('postJson follows a redirect to where the answer is taken', async () => {
  answer = (req, res) => (req.url === '/hooks/moved' ? res.writeHead(307, { location: '/hooks/here' }).end() : res.writeHead(200).end('ok'));
  await expect(transport.postJson(`${base}/hooks/moved`, { text: 'Flagged' }, 1000)).resolves.toBe(200);
  expect(seen.map((r) => [r.url, r.body])).toEqual([
    ['/hooks/moved', '{"text":"Flagged"}'],
    ['/hooks/here', '{"text":"Flagged"}'],
  ]);
});

test('postJson gives up after its timeout', async () => {
  answer = () => undefined;
  await expect(transport.postJson(`${base}/hooks/slow`, { text: 'hi' }, 200)).rejects.toMatchObject({ name: 'TimeoutError' });
});

describe('close', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A server that answers each path after the delay `delayOf` gives it; `stop` clears its timers and closes it. */
  async function slowServer(delayOf: (path: string) => number): Promise<{ origin: string; stop: () => void }> {
    const timers: NodeJS.Timeout[] = [];
    const slow = http.createServer((req, res) => void timers.push(setTimeout(() => res.end('{}'), delayOf(req.url ?? '/'))));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    return {
      origin,
      stop: () => {
        for (const timer of timers) clearTimeout(timer);
        slow.closeAllConnections();
        slow.close();
      },
    };
  }

  /** Closes `closing` while `call` runs: close ends within its short wait, and `call` is cut off. */
  async function closedDuring(closing: SlackTransport, call: Promise<unknown>): Promise<void> {
    const outcome = call.then(() => 'answered', () => 'cut off');
    await sleep(50);
    const started = Date.now();
    await closing.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await Promise.race([outcome, sleep(1_000).then(() => 'still running')])).toBe('cut off');
  }

  test('cuts off a call still in flight once its short wait is over, so a slow Slack does not hold a stop', async () => {
    const slow = await slowServer(() => 3_000);
    try {
      const closing = createSlackTransport();
      await closedDuring(closing, closing.postJson(`${slow.origin}/`, { text: 'hi' }, 10_000));
    } finally {
      slow.stop();
    }
  });

  test("also cuts off a call that started during its short wait (a delivery's next call)", async () => {
    const slow = await slowServer((path) => (path === '/first' ? 200 : 3_000));
    try {
      const closing = createSlackTransport();
      const delivery = closing.postJson(`${slow.origin}/first`, {}, 10_000).then(() => closing.postJson(`${slow.origin}/second`, {}, 10_000));
      await closedDuring(closing, delivery);
    } finally {
      slow.stop();
    }
  });
});
