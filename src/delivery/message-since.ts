import type { Moment, SourceMessage } from '../core/moment';
import type { MessageSince, Note } from '../core/notice';
import { sameWordsAsSeen, wordsOf } from '../slack/message-words';
import { stringField } from '../slack/payload';
import { readMessageAt } from '../slack/read-message';
import type { DeliveryDeps } from './delivery-deps';

/**
 * An approval told under a flagged message (its thread, the flagger's DM) with what became of the message since the
 * flag: "Go post it!" under words edited after the reviewers read them would have the edit posted unreviewed. Other
 * notes, revisions and copy edited in the flag form (told "the approved copy" already) go as they are.
 */
export async function withMessageSince(deps: DeliveryDeps, moment: Moment, note: Note): Promise<Note> {
  const { source } = moment;
  if (note.what !== 'approved' || source === undefined || source.edited === true || moment.revision > 1) return note;
  const since = await messageSince(deps, source);
  return since === undefined ? note : { ...note, messageSince: since };
}

/** Undefined: the words are as flagged, or the moment was flagged before they were kept (told as before). */
async function messageSince(deps: DeliveryDeps, source: SourceMessage): Promise<MessageSince | undefined> {
  if (source.wordsSeen === undefined) return undefined;
  try {
    // Read as a flag reaction reads it.
    const message = await readMessageAt(deps.client, source.channel, source.ts, source.threadTs);
    // Deleted with replies under it (Greenlight's own, at least), Slack keeps it as a tombstone.
    if (message === undefined || stringField(message, 'subtype') === 'tombstone') return 'deleted';
    return sameWordsAsSeen(wordsOf(message), source.wordsSeen) ? undefined : 'edited';
  } catch {
    // Not known (Slack failing, the channel closed to Greenlight): told in words that are right either way.
    return 'unknown';
  }
}
