import { flagMoment, type FlagRequest } from '../core/flag';
import { noticesForFlag } from '../core/notices';
import type { Store } from '../store/store';
import { homePeopleOf, refreshLiveHomes } from './live-homes';
import type { ReplyTo } from './reply-to';
import { momentHoldingSource } from './moment-view';

export type FlagOutcome =
  | { readonly kind: 'flagged'; readonly momentId: number }
  /** The same request (a retry or replay), or a message flagged before: nothing new stored. */
  | { readonly kind: 'duplicate'; readonly momentId: number | undefined }
  /** The flagger's own open moment with the same words and topic: nothing new stored, nobody asked again. */
  | { readonly kind: 'repeat'; readonly momentId: number }
  | { readonly kind: 'refused'; readonly message: string };

/**
 * Stores a new moment with its reviewers, deadlines and first notices (card, DMs, the flagger's confirmation, a fresh
 * Home for those of its people whose Home is open) in one transaction, once per request key. `unreadRoles`: see
 * flagMoment.
 */
export function recordFlag(
  store: Store,
  request: FlagRequest,
  membersOf: (role: string) => readonly string[],
  replyTo: ReplyTo,
  requestKey: string,
  now: number,
  unreadRoles?: ReadonlySet<string>,
): FlagOutcome {
  const result = flagMoment(request, membersOf, now, unreadRoles);
  if (!result.ok) return { kind: 'refused', message: result.message };
  const { moment, assignments, deadlines } = result.flagged;
  return store.transaction((): FlagOutcome => {
    if (store.seen.has(requestKey)) return { kind: 'duplicate', momentId: undefined };
    if (moment.source) {
      // Not remembered: a form refused as "already under review" and submitted again must be refused again,
      // not taken for a replay of something that was stored.
      const existing = momentHoldingSource(store, moment.source.channel, moment.source.ts);
      if (existing !== undefined) return { kind: 'duplicate', momentId: existing };
    } else {
      // Typed again (sent twice from a phone, or again after Slack showed the first as timed out): a second card would
      // ask every reviewer twice for one decision. Not remembered either: the same words flag anew once it has ended.
      // A message's flag is found by its source above; two messages with the same words are two posts.
      const earlier = store.moments.openRepeatOf(moment.flaggerId, moment.topic, moment.content);
      if (earlier !== undefined) return { kind: 'repeat', momentId: earlier };
    }
    store.seen.remember(requestKey, now);
    const stored = store.moments.insert(moment);
    store.reviews.assign(stored.id, assignments);
    store.deadlines.schedule(stored.id, deadlines);
    const view = { moment: stored, assignments, decisions: [] };
    store.outbox.enqueue(stored.id, noticesForFlag(view, { channel: replyTo.channel, responseUrl: replyTo.responseUrl }), now);
    refreshLiveHomes(store, homePeopleOf(view), now);
    return { kind: 'flagged', momentId: stored.id };
  });
}
