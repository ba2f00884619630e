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
  const since = await (deps.approvalReadings ? deps.approvalReadings.of(moment.id, () => messageSince(deps, source)) : messageSince(deps, source));
  return since === undefined ? note : { ...note, messageSince: since };
}

/** How long what was read of an approved moment's message serves its other notes. */
export const SINCE_MAX_AGE_MS = 5 * 60_000;

/** Moments whose reading is kept at once; the whole set is dropped when it grows past this. */
const SINCE_CACHE_SIZE = 1_000;

/**
 * What an approval's notes learned of the flagged message, read once for all of them: the thread note and the
 * flagger's DM go out as two rows, often within a second, and must not say two different things (an edit landing
 * between them) nor read the message twice. A reading Slack did not answer is not kept, so a later note tries again.
 */
export class ApprovalReadings {
  private readonly read = new Map<number, { readonly since: Promise<MessageSince | undefined>; readonly at: number }>();

  constructor(private readonly clock: () => number) {}

  of(momentId: number, readNow: () => Promise<MessageSince | undefined>): Promise<MessageSince | undefined> {
    const now = this.clock();
    const kept = this.read.get(momentId);
    if (kept && now >= kept.at && now - kept.at < SINCE_MAX_AGE_MS) return kept.since;
    if (this.read.size >= SINCE_CACHE_SIZE) this.read.clear();
    const since = readNow();
    this.read.set(momentId, { since, at: now });
    void since.then((result) => {
      if (result === 'unknown' && this.read.get(momentId)?.since === since) this.read.delete(momentId);
    });
    return since;
  }
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
