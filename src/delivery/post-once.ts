/** The Slack calls every notice shares: a post made at most once in effect, the DM channel, the card's link. */
import type { OutboxRow } from '../store/outbox';
import { retryWindowStart, stillWorthRetrying } from './backoff';
import type { DeliveryDeps, Posted, Sent, Writes } from './delivery-deps';
import { NotPostedAgainError } from './failure';

/** Metadata on every post, so a post whose answer was lost can be found before posting again. */
export const NOTICE_EVENT_TYPE = 'greenlight_notice';

/**
 * A DM gone stale since it was queued is not posted. But an earlier attempt may have landed (the row is uncertain):
 * it is looked for, and recorded when found, so the updates that follow reach it and take its buttons away.
 */
export async function landedOnly(row: OutboxRow, deps: DeliveryDeps, channel: () => Promise<string>, record: (posted: Posted) => void, why: string): Promise<Sent> {
  const found = mayHaveLanded(row, deps) ? await findPosted(deps, row, await channel(), undefined) : undefined;
  if (!found) return { kind: 'skipped', why };
  record(found);
  return { kind: 'sent', ...found };
}

/**
 * Whether a post of the row may be in Slack already: an attempt may have landed (the worker marks a row in flight when it
 * claims it, so a post that lands while its answer is lost counts; `npm run backup` marks every row waiting in its copy),
 * or an earlier process tried it. A database restored from a backup holds rows as they were then (one answered 429, or
 * not tried yet, that went out since), and Slack is the only record of what was posted after it. A row an earlier
 * process never tried is not looked for after a plain restart: a backlog of them would spend Slack's history limit.
 */
function mayHaveLanded(row: OutboxRow, deps: DeliveryDeps): boolean {
  if (row.uncertain) return true;
  return row.firstAttemptAt !== undefined && deps.startedAt !== undefined && row.firstAttemptAt < deps.startedAt;
}

/**
 * chat.postMessage at most once in effect: when an earlier attempt, or an earlier process, may have posted it
 * (mayHaveLanded), look for it (by the outbox id and mark in its metadata) before posting again.
 */
export async function postOnce(
  row: OutboxRow,
  deps: DeliveryDeps,
  channel: string,
  threadTs: string | undefined,
  message: { text: string; blocks?: unknown[] },
): Promise<{ channel: string; ts: string }> {
  if (mayHaveLanded(row, deps)) {
    const found = await findPosted(deps, row, channel, threadTs);
    if (found) return found;
    // Past its retry window it is only looked for: a day-old message (or a half-hour-old answer to someone) is not worth
    // a possible double. A row whose earlier attempts surely failed is still posted, late, by a retry due before then.
    const now = deps.clock();
    if (row.uncertain && !stillWorthRetrying(row.notice, retryWindowStart(row, now), now)) throw new NotPostedAgainError();
  }
  const result = await deps.client.chat.postMessage({
    channel,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks as never } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    // No previews: a flagged video or image link would otherwise be embedded under the card, every review DM and every
    // note that names the moment (Slack unfurls media unless told not to, whatever unfurl_links says).
    unfurl_links: false,
    unfurl_media: false,
    metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outbox_id: row.id, ...(row.mark ? { mark: row.mark } : {}) } },
  });
  return { channel: result.channel ?? channel, ts: result.ts ?? '' };
}

/** Pages of 200 read when looking for a post whose answer was lost: a busy channel can bury it. */
const LOOK_PAGES = 10;

/**
 * How far before its first attempt (by this host's clock) a lost post is looked for. Slack dates a message by its own
 * clock: a host clock running minutes ahead (before NTP sets it right) would look past a post that landed, and post it
 * twice. An hour's messages are a page or two in a busy channel, and the look is made only after a lost answer.
 */
export const LOOK_BACK_MS = 60 * 60_000;

async function findPosted(deps: DeliveryDeps, row: OutboxRow, channel: string, threadTs: string | undefined): Promise<{ channel: string; ts: string } | undefined> {
  const oldest = Math.max(0, ((row.firstAttemptAt ?? row.createdAt) - LOOK_BACK_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  const self = deps.self?.();
  for (let page = 0; page < LOOK_PAGES; page += 1) {
    const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const result = threadTs ? await deps.client.conversations.replies({ ...args, ts: threadTs }) : await deps.client.conversations.history(args);
    for (const message of result.messages ?? []) {
      // A thread's replies come after its parent, which Slack returns first whatever `oldest` says: the parent (the
      // card) is never the reply looked for, even where an outbox emptied long ago gave the reply the card's old id.
      if (threadTs !== undefined && message.ts === threadTs) continue;
      const payload = message.metadata?.event_payload as Record<string, unknown> | undefined;
      // Anyone able to post with metadata could write the same: only Greenlight's own post (by its bot user, or by its
      // bot where Slack names no user) counts as the one that landed.
      if (self !== undefined && message.user !== self.botUserId && !(message.user === undefined && message.bot_id === self.botId)) continue;
      // The row's id and mark: a restored database hands out ids again that messages posted since it was backed up carry.
      if (message.metadata?.event_type === NOTICE_EVENT_TYPE && payload?.outbox_id === row.id && payload.mark === row.mark && message.ts) return { channel, ts: message.ts };
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  // Not found in the pages read: treat as not posted (a double is possible only past 2000 newer messages).
  return undefined;
}

export async function dmChannel(deps: DeliveryDeps, userId: string, writes: Writes): Promise<string> {
  const known = deps.store.messages.dmChannel(userId);
  if (known) return known;
  const opened = await deps.client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  writes.push(() => deps.store.messages.rememberDmChannel(userId, channel));
  return channel;
}

export async function permalinkOf(
  deps: DeliveryDeps,
  momentId: number,
  card: { channel: string; ts: string; permalink: string | undefined },
  writes: Writes,
): Promise<string | undefined> {
  if (card.permalink) return card.permalink;
  // The link is a convenience: a notice goes without it rather than wait, or fail, on a lookup (the card deleted,
  // Slack failing to answer it). A later notice asks again.
  const permalink = await deps.client.chat.getPermalink({ channel: card.channel, message_ts: card.ts }).then(
    (answer) => answer.permalink,
    () => undefined,
  );
  if (permalink) writes.push(() => deps.store.moments.setPermalink(momentId, permalink));
  return permalink;
}
