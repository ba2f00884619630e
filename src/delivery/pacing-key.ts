import { assertNever } from '../core/events';
import type { Notice } from '../core/notice';
import type { PacingFacts } from '../store/moments';
import type { OutboxRow } from '../store/outbox';

/**
 * The limit a pacing queue shares with others, when Slack counts its calls together: chat.update is limited per
 * workspace (Tier 3), not per channel, so a 429 on one update pauses every update queue; posts stay per channel.
 */
export function sharedLimitOf(key: string): string | undefined {
  return key.startsWith('update:') ? 'update:*' : undefined;
}

/**
 * Which pacing queue a row waits in: its Slack channel, the person for DMs, or its response_url (each URL is its
 * own endpoint with its own limit, so one that hangs or answers 429 holds up nobody else's answers). Posts and
 * updates of one channel queue apart: Slack's one-message-a-second pace is for posting, so a card update never
 * waits behind the cards queued for its channel (a moment's own order is kept by its lanes, whatever the queue).
 */
export function pacingKey(row: OutboxRow, factsOf: (momentId: number) => PacingFacts | undefined): string {
  const notice = row.notice;
  switch (notice.kind) {
    case 'ephemeral':
      return `ephemeral:${notice.channel}`;
    case 'respond':
      return `response_url:${notice.responseUrl}`;
    case 'publish_home':
      return `home:${notice.userId}`;
    case 'dm_reviewer':
    case 'remind_reviewer':
    case 'tell':
      return `user:${notice.userId}`;
    case 'update_dm':
      return `update:user:${notice.userId}`;
    case 'confirm_flag':
      return notice.responseUrl ? `response_url:${notice.responseUrl}` : `user:${notice.userId}`;
    case 'notify_flagger':
    case 'update_flagger_note':
    case 'source_reply':
    case 'post_card':
    case 'update_card':
    case 'thread_note': {
      const facts = row.momentId === undefined ? undefined : factsOf(row.momentId);
      if (!facts) return 'unknown';
      if (notice.kind === 'notify_flagger') return `user:${facts.flaggerId}`;
      if (notice.kind === 'update_flagger_note') return `update:user:${facts.flaggerId}`;
      if (notice.kind === 'source_reply') return `channel:${facts.sourceChannel ?? 'none'}`;
      if (notice.kind === 'update_card') return `update:channel:${facts.reviewChannel}`;
      return `channel:${facts.reviewChannel}`;
    }
    default:
      return assertNever(notice);
  }
}

/** Posts that count against Slack's one-message-per-second-per-channel pace. */
export function isPost(notice: Notice): boolean {
  return !['update_card', 'update_dm', 'update_flagger_note', 'ephemeral', 'respond', 'publish_home'].includes(notice.kind) && !(notice.kind === 'confirm_flag' && notice.responseUrl);
}

/**
 * Notices that may post a message, and are marked as possibly posted when claimed (see postOnce): every post, and the
 * flagger's confirmation, which goes by DM when its response_url has expired. Unmarked, that DM posted just before a
 * crash was posted again at the next start.
 */
export function mayPost(notice: Notice): boolean {
  return isPost(notice) || notice.kind === 'confirm_flag';
}
