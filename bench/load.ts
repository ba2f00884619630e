import autocannon from 'autocannon';
import { blockActionBody, signed, slashCommandBody, type SignedRequest } from '../src/sandbox/slack-requests';
import { ACTION } from '../src/slack/ids';
import { APPROVER, flaggerId } from './bench-routing';

const FORM = 'application/x-www-form-urlencoded';

export interface LoadResult {
  readonly seconds: number;
  /** 2xx answers per second. */
  readonly throughput: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** From every 2xx answer's own latency (autocannon's histogram keeps whole milliseconds only). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Each request is built when it is sent: a new body (new trigger_id), signed with the current
 * timestamp, in this process, the same way for every server.
 */
export type RequestSource = () => SignedRequest;

/** One autocannon run against `port` for `seconds`, bounded by autocannon's own duration and timeout. */
export async function load(port: number, connections: number, seconds: number, next: RequestSource): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: '/slack/events',
            setupRequest: (request) => {
              const made = next();
              return { ...request, headers: made.headers, body: made.body };
            },
          },
        ],
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  return {
    seconds: result.duration,
    throughput: ok / result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Approve presses by the brand reviewer, each on the next seeded moment (ids `first`..`last`,
 * then round again: a second press on a closed moment is refused, which `wrapped` counts).
 */
export function approvePresses(first: number, last: number, responseUrl: string): { next: RequestSource; sent: () => number; wrapped: () => boolean } {
  let cursor = 0;
  const span = last - first + 1;
  return {
    next: () => {
      const id = first + (cursor % span);
      cursor += 1;
      return signed(blockActionBody(APPROVER, ACTION.approve, `${id}:1`, { channel: 'C0BENCHREVIEW', responseUrl }), FORM);
    },
    sent: () => cursor,
    wrapped: () => cursor > span,
  };
}

/** `/moment <text> #sports` quick flags from rotating flaggers. */
export function quickFlags(responseUrl: string, topic = 'sports'): RequestSource {
  let n = 0;
  return () => {
    n += 1;
    const text = `Launch teaser ${n}: our new boots are here, order today https://example.com/p/${n} #${topic}`;
    return signed(slashCommandBody(flaggerId(n), text, { channel: 'C0GENERAL', responseUrl }), FORM);
  };
}
