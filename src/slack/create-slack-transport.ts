import { STATUS_CODES } from 'node:http';
import type { FetchFunction } from '@slack/web-api';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { within } from '../within';

// The client exports only the function's type; its parts are read off it.
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

/**
 * How Greenlight's calls reach Slack: the Web API client's fetch and the POST to a response_url, over one
 * keep-alive pool that `close()` ends with Greenlight.
 *
 * The Web API client takes any fetch-shaped function. Node's own fetch costs about three times the CPU of undici's
 * `request` on a small POST (Request and Response objects, web streams: 290–470 µs against 124 µs measured here, client
 * and a plain Node server together), and every card, DM and update goes through it. Slack's answers are small JSON
 * documents, so each body is read whole before the answer is handed over: what the caller gets is plain values.
 */
export interface SlackTransport {
  readonly fetch: FetchFunction;
  /** POSTs a JSON document (a response_url answer), following redirects, and returns the final HTTP status. */
  postJson(url: string, document: unknown, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

/** What the platform's fetch does for `redirect: 'error'`; the client then reports a request error, as it did before. */
export class UnexpectedRedirectError extends TypeError {
  constructor(readonly status: number) {
    super(`unexpected redirect (HTTP ${status})`);
    this.name = 'UnexpectedRedirectError';
  }
}

const METHODS: readonly Dispatcher.HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function createSlackTransport(): SlackTransport {
  // undici's keep-alive default (4 s, or the server's own hint) keeps stale sockets rare.
  const agent = new Agent({ connections: 64 });
  const following = agent.compose(interceptors.redirect({ maxRedirections: 3 }));
  // Calls in flight, so close() can wait for them a while, then cut them off.
  const inFlight = new Set<Promise<unknown>>();
  const tracked = <T>(call: Promise<T>): Promise<T> => {
    inFlight.add(call);
    void call.then(
      () => inFlight.delete(call),
      () => inFlight.delete(call),
    );
    return call;
  };
  const slackFetch = async (url: string | URL, init: FetchRequestInit = {}): Promise<FetchResponse> => {
    // Multipart bodies (file uploads) are built for the platform's fetch; Greenlight sends none, but stays correct.
    if (init.body !== undefined && typeof init.body !== 'string') return fetch(url, init);
    const target = String(url);
    const method = METHODS.find((m) => m === (init.method ?? 'GET').toUpperCase());
    if (!method) throw new TypeError(`unsupported HTTP method ${init.method ?? ''}`);
    const answer = await request(target, {
      method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      // The Web API client asks for no redirects; anything else may follow them.
      dispatcher: init.redirect === 'error' || init.redirect === 'manual' ? agent : following,
    });
    if (init.redirect === 'error' && answer.statusCode >= 300 && answer.statusCode < 400) {
      await answer.body.dump();
      throw new UnexpectedRedirectError(answer.statusCode);
    }
    const body = Buffer.from(await answer.body.arrayBuffer());
    return bufferedResponse(target, answer.statusCode, answer.headers, body);
  };
  const postJson = async (url: string, document: unknown, timeoutMs: number): Promise<number> => {
    const answer = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(document),
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: following,
    });
    await answer.body.dump();
    return answer.statusCode;
  };
  return {
    fetch: (url, init) => tracked(slackFetch(url, init)),
    postJson: (url, document, timeoutMs) => tracked(postJson(url, document, timeoutMs)),
    close: () => closeWithin(agent, inFlight, CLOSE_WAIT_MS),
  };
}

/**
 * How long closing waits for calls still in flight (delivery has stopped waiting for them already): past it they are
 * cut off, so a Slack slow to answer does not hold a stop.
 */
const CLOSE_WAIT_MS = 500;

/**
 * Waits up to `ms` for the calls in flight, then closes the pool: gracefully when they are done, else destroying it,
 * which fails what is left at once (undici's close() would wait for them, however long).
 */
async function closeWithin(agent: Agent, inFlight: ReadonlySet<Promise<unknown>>, ms: number): Promise<void> {
  // Calls started meanwhile (a delivery's next call once its first is answered) count too: the wait is for the set.
  const deadline = Date.now() + ms;
  while (inFlight.size > 0 && Date.now() < deadline) {
    await within(
      Promise.allSettled([...inFlight]).then(() => undefined),
      deadline - Date.now(),
      () => undefined,
    );
  }
  await (inFlight.size === 0 ? agent.close() : agent.destroy());
}

type RawHeaders = Record<string, string | string[] | undefined>;

function bufferedResponse(url: string, status: number, raw: RawHeaders, body: Buffer): FetchResponse {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    url,
    headers: headersOf(raw),
    arrayBuffer: async () => new Uint8Array(body).buffer,
    text: async () => body.toString('utf8'),
    json: async (): Promise<unknown> => JSON.parse(body.toString('utf8')),
  };
}

function headersOf(raw: RawHeaders): FetchHeaders {
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    entries.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]);
  }
  const byName = new Map(entries);
  return {
    get: (name: string) => byName.get(name.toLowerCase()) ?? null,
    entries: () => entries[Symbol.iterator](),
  };
}
