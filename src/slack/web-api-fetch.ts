import { STATUS_CODES } from 'node:http';
import type { FetchFunction } from '@slack/web-api';
import { Agent, request } from 'undici';

// The client exports only the function's type; its parts are read off it.
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

/**
 * How Greenlight's calls reach Slack: the Web API client's fetch and the POST to a response_url, over one
 * keep-alive pool that `close()` ends with Greenlight.
 *
 * The Web API client takes any fetch-shaped function. Node's own fetch spends about three times the CPU of undici's
 * `request` on a small POST (Request and Response objects, web streams: 240 µs against 70 µs measured here), and every
 * card, DM and update goes through it. Slack's answers are small JSON documents, so each body is read whole before
 * the answer is handed over, and undici's stream is never left half-read by a caller that skips it (a 429).
 */
export interface SlackTransport {
  readonly fetch: FetchFunction;
  /** POSTs a JSON document (a response_url answer) and returns the HTTP status; the body is read and dropped. */
  postJson(url: string, document: unknown, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

export function createSlackTransport(): SlackTransport {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  return {
    fetch: async (url: string | URL, init: FetchRequestInit = {}): Promise<FetchResponse> => {
      // Multipart bodies (file uploads) are built for the platform's fetch; Greenlight sends none, but stays correct.
      if (init.body !== undefined && typeof init.body !== 'string') return fetch(url, init);
      const target = String(url);
      const answer = await request(target, {
        method: init.method === 'GET' ? 'GET' : 'POST',
        headers: init.headers,
        body: init.body,
        signal: init.signal,
        dispatcher: agent,
      });
      const body = Buffer.from(await answer.body.arrayBuffer());
      return bufferedResponse(target, answer.statusCode, answer.headers, body);
    },
    async postJson(url: string, document: unknown, timeoutMs: number): Promise<number> {
      const answer = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(document),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: agent,
      });
      await answer.body.dump();
      return answer.statusCode;
    },
    close: () => agent.close(),
  };
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
