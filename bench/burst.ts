import path from 'node:path';
import { signed, slashCommandBody } from '../src/sandbox/slack-requests';
import { startSlackStandIn, type RecordedCall } from '../src/sandbox/slack-stand-in';
import { burstChannel, burstPeople, burstRouting, burstTopic, flaggerId } from './bench-routing';
import { startChild } from './child-process';
import type { BenchSettings } from './settings';

const FORM = 'application/x-www-form-urlencoded';
const SENDERS = 10;

export interface BurstResult {
  readonly flags: number;
  readonly channels: number;
  readonly postsPerSecondPerChannel: number;
  readonly postGapMs: number;
  readonly acked: number;
  readonly sendSeconds: number;
  readonly cards: number;
  readonly cardsPerChannel: Record<string, number>;
  readonly reviewerDms: number;
  readonly confirmations: number;
  readonly allDelivered: boolean;
  /** Posts carrying the same outbox_id in their metadata, beyond the first. */
  readonly duplicates: number;
  readonly rateLimited: number;
  /** Per channel (cards, and the reviewers' DM channels): 429s, and the shortest gap between two accepted posts. */
  readonly perChannel: Record<string, { readonly posts: number; readonly rateLimited: number; readonly minGapMs: number }>;
  /** From the first flag sent to the last card posted, and to the last delivery of any kind. */
  readonly lastCardSeconds: number;
  readonly lastDeliverySeconds: number;
  /** The fastest anyone could post `perChannel` messages in one channel at the limit: (perChannel - 1) / rate. */
  readonly boundSeconds: number;
  /** Greenlight's own pacing: (perChannel - 1) × postGapMs. */
  readonly pacingSeconds: number;
  readonly timedOut: boolean;
  readonly worker: unknown;
}

function isOkPost(call: RecordedCall): boolean {
  const response = call.response as { ok?: unknown } | undefined;
  return call.method === 'chat.postMessage' && call.status === 200 && response?.ok === true;
}

/**
 * 500 quick flags (10 senders at once) over 5 topics, each with its own review channel and
 * reviewer, against a stand-in that lets each channel post once a second. Waits (bounded) until
 * every card, reviewer DM and confirmation is delivered.
 */
export async function runBurst(settings: BenchSettings, dir: string): Promise<BurstResult> {
  const { burstFlags: flags, burstChannels: channels, burstPostsPerSecond: rate, burstPostGapMs: gap } = settings;
  const standIn = await startSlackStandIn({ port: 0, postsPerSecondPerChannel: rate, users: burstPeople(channels) });
  const server = startChild('greenlight burst', 'bench-server.ts', {
    BENCH_SERVER: 'greenlight',
    BENCH_API_URL: standIn.url,
    BENCH_DB: path.join(dir, 'burst.db'),
    BENCH_SYNC: 'NORMAL',
    BENCH_ROUTING: burstRouting(channels),
    BENCH_POST_GAP_MS: String(gap),
    BENCH_LOG: path.join(dir, 'burst.log'),
  });
  try {
    const { port } = await server.next<{ type: 'ready'; port: number }>('ready', 60_000);
    const responseUrl = standIn.responseUrl('burst');
    let nextFlag = 0;
    let acked = 0;
    const started = Date.now();
    const sender = async (): Promise<void> => {
      while (nextFlag < flags) {
        const i = nextFlag;
        nextFlag += 1;
        const text = `Burst flag ${i}: our new boots are here #${burstTopic(i % channels)}`;
        const request = signed(slashCommandBody(flaggerId(i), text, { responseUrl }), FORM);
        const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.text();
        if (response.ok) acked += 1;
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, () => sender()));
    const sendSeconds = (Date.now() - started) / 1000;

    const postsPerChannel = Math.ceil(flags / channels);
    const boundSeconds = (postsPerChannel - 1) / rate;
    const pacingSeconds = ((postsPerChannel - 1) * gap) / 1000;
    const channelIds = new Set(Array.from({ length: channels }, (_, i) => burstChannel(i)));
    const count = () => {
      const posts = standIn.calls.filter(isOkPost);
      const cards = posts.filter((c) => channelIds.has(String(c.params.channel)) && c.params.thread_ts === undefined);
      const dms = posts.filter((c) => !channelIds.has(String(c.params.channel)));
      return { posts, cards, dms, confirmations: standIn.responses('burst').length };
    };
    const deadline = Date.now() + (Math.max(boundSeconds, pacingSeconds) * 2 + 60) * 1000;
    let seen = count();
    let timedOut = false;
    while (seen.cards.length < flags || seen.dms.length < flags || seen.confirmations < flags) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = count();
    }
    // A little longer, so a late duplicate would still be seen.
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000, gap * 2)));
    seen = count();
    const stats = await server.ask<{ type: 'stats'; worker: unknown }>({ type: 'stats' }, 'stats');

    const byOutboxId = new Map<string, number>();
    for (const m of standIn.messages()) {
      const id = m.metadata?.event_payload.outbox_id;
      if (id !== undefined) byOutboxId.set(String(id), (byOutboxId.get(String(id)) ?? 0) + 1);
    }
    const duplicates = [...byOutboxId.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const cardsPerChannel: Record<string, number> = {};
    for (const c of seen.cards) cardsPerChannel[String(c.params.channel)] = (cardsPerChannel[String(c.params.channel)] ?? 0) + 1;
    const perChannel: Record<string, { posts: number; rateLimited: number; minGapMs: number }> = {};
    for (const c of standIn.calls.filter((call) => call.method === 'chat.postMessage')) {
      const channel = String(c.params.channel);
      const entry = perChannel[channel] ?? { posts: 0, rateLimited: 0, minGapMs: Number.POSITIVE_INFINITY };
      perChannel[channel] = entry;
      if (c.status === 429) entry.rateLimited += 1;
    }
    for (const [channel, entry] of Object.entries(perChannel)) {
      const times = seen.posts.filter((c) => String(c.params.channel) === channel).map((c) => c.at).sort((a, b) => a - b);
      entry.posts = times.length;
      for (let i = 1; i < times.length; i += 1) entry.minGapMs = Math.min(entry.minGapMs, (times[i] ?? 0) - (times[i - 1] ?? 0));
    }
    const lastAt = (calls: readonly RecordedCall[]) => calls.reduce((max, c) => Math.max(max, c.at), started);
    const lastResponse = standIn.responses('burst').reduce((max, r) => Math.max(max, r.at), started);
    return {
      flags,
      channels,
      postsPerSecondPerChannel: rate,
      postGapMs: gap,
      acked,
      sendSeconds,
      cards: seen.cards.length,
      cardsPerChannel,
      reviewerDms: seen.dms.length,
      confirmations: seen.confirmations,
      allDelivered: seen.cards.length === flags && seen.dms.length === flags && seen.confirmations === flags,
      duplicates,
      rateLimited: standIn.calls.filter((c) => c.status === 429).length,
      perChannel,
      lastCardSeconds: (lastAt(seen.cards) - started) / 1000,
      lastDeliverySeconds: (Math.max(lastAt(seen.posts), lastResponse) - started) / 1000,
      boundSeconds,
      pacingSeconds,
      timedOut,
      worker: stats.worker,
    };
  } finally {
    await server.stop();
    await standIn.close();
  }
}
