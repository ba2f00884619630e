import { assertNever } from '../../core/events';
import type { Moment } from '../../core/moment';
import type { Note } from '../../core/notice';
import { boldTitle, escapeAndCut, quoteAndCut, roleNames } from './mrkdwn';
import { tierWords } from './moment-parts';

export interface NoteOptions {
  /** People's names as Slack shows them, for whoever is named without a mention (see who); someone not in it is mentioned. */
  readonly names?: ReadonlyMap<string, string>;
  /** Whether the card shows the moment's copy whole (an approval says where to find the copy to post). */
  readonly copyWholeOnCard?: boolean;
  /**
   * Said in the flagged message's own thread: the moment is the message right above, so it is not named by its title.
   * The title may be words written for the review (a revision's, the flag form's), and the message's channel may be
   * wider than the review's.
   */
  readonly underTheMessage?: boolean;
}

/** One line for the card's thread, the flagger's DM or the flagged message's thread. User text is escaped and cut. */
export function noteText(note: Note, moment: Moment, cardPermalink: string | undefined, options: NoteOptions = {}): string {
  const { names, copyWholeOnCard = true, underTheMessage = false } = options;
  // The flagger is named, not mentioned, for what they did: a mention in a thread would notify them of their own press
  // (the card says who flagged it). So is a reviewer whose name is given (a display name is user text: escaped, so
  // one spelt "<!channel>" pings nobody).
  const who = (userId: string | undefined, opensLine = true) => {
    if (!userId) return 'Greenlight';
    if (userId === moment.flaggerId) return opensLine ? 'The flagger' : 'the flagger';
    const name = names?.get(userId);
    return name === undefined ? `<@${userId}>` : boldTitle(name, 80);
  };
  // An outcome told where the person need not be named (the flagged message's thread): no "by".
  const by = (userId: string | undefined) => (userId ? ` by ${who(userId, false)}` : '');
  const why = (comment: string | undefined) => (comment ? `\n${quoteAndCut(comment, 2500, true)}` : '');
  const role = 'role' in note && note.role ? ` (${escapeAndCut(note.role, 60)})` : '';
  const title = boldTitle(moment.content.title, 200);
  // How an outcome opens: "<title> is approved", or under the message itself "Approved".
  const ended = (verb: string, alone: string) => (underTheMessage ? alone : `${title} ${verb}`);
  const card = cardPermalink ? ` <${cardPermalink}|Open the card>` : '';
  // After a quoted reason the link goes on its own line, or Slack would show it inside the quote.
  const cardAfter = (comment: string | undefined) => (comment && cardPermalink ? `\n<${cardPermalink}|Open the card>` : card);
  switch (note.what) {
    case 'flagged':
      return underTheMessage ? `⚡ Flagged for review.${card}` : `⚡ Flagged for review: ${title}.${card}`;
    case 'approve':
      return `✅ ${who(note.userId)} approved${role}.`;
    case 'reject':
      return `❌ ${who(note.userId)} rejected${role}.${why(note.comment)}`;
    case 'request_changes':
      return `✏️ ${who(note.userId)} asked for changes to ${title}${role}.${why(note.comment)}`;
    case 'escalate':
      // Notes queued before toTier existed went one tier up.
      return `⬆️ ${who(note.userId)} escalated ${title} to ${tierWords(moment.plan, note.toTier ?? note.tier + 1)}: any one of them decides.${why(note.comment)}${cardAfter(note.comment)}`;
    case 'timeout':
      // A timeout's note is an escalation's (an expiry has its own); notes queued before toTier existed went one up.
      return `⏱️ No decision on ${title} in time: escalated to ${tierWords(moment.plan, note.toTier ?? note.tier + 1)}, any one of whom decides.${card}`;
    case 'withdraw':
      return `↩️ ${who(note.userId)} withdrew this moment.`;
    case 'revise':
      // Said only where someone had approved: otherwise there is nothing that stopped counting.
      return note.voidedApprovals === false
        ? `📝 ${who(note.userId)} posted a new revision: it waits for its reviewers' decision.`
        : `📝 ${who(note.userId)} posted a new revision: earlier approvals no longer count.`;
    case 'approved': {
      // A revision was approved, or words the flagger changed in the flag form: not the flagged message's own, which
      // sit right above its thread.
      // The card holds the approved copy unless it is longer than a message holds (flagged from a very long message).
      const fromCard = !cardPermalink ? '' : copyWholeOnCard ? ', from the card' : ' (longer than a Slack message holds: the card shows its start)';
      const approved = ended('is approved', 'Approved');
      if (moment.revision > 1) return `🎉 ${approved} as revised (revision ${moment.revision}): go post the approved copy${fromCard}.${card}`;
      if (moment.source?.edited) return `🎉 ${approved} as edited when it was flagged: go post the approved copy${fromCard}.${card}`;
      // The message itself changed after reviewers read it: what it says now was never approved.
      switch ('messageSince' in note ? note.messageSince : undefined) {
        case 'edited':
          return `🎉 ${approved} as it was flagged, not as the message was edited since: go post the approved copy${fromCard}.${card}`;
        case 'deleted':
          return `🎉 ${approved}, and the flagged message was deleted since: go post the approved copy${fromCard}.${card}`;
        case 'unknown':
          return `🎉 ${approved}: go post the approved copy${fromCard}.${card}`;
        default:
          return `🎉 ${approved}. Go post it!${card}`;
      }
    }
    case 'rejected':
      return `❌ ${ended('was rejected', 'Rejected')}${by(note.userId)}.${why(note.comment)}${cardAfter(note.comment)}`;
    case 'expired':
      return note.awaitingRevision
        ? `⌛ ${ended('expired', 'Expired')}: no new revision came in time.${card}`
        : `⌛ ${ended('expired', 'Expired')}: it was not approved in time.${card}`;
    case 'withdrawn':
      return `↩️ ${ended('was withdrawn', 'Withdrawn')}${by(note.userId)}.${card}`;
    case 'short_staffed': {
      const them = note.roles.length > 1 ? 'these roles have' : 'the role has';
      const then = note.escalates
        ? 'you can escalate it now (on the card, or in my App Home), or it escalates when time is up'
        : `it will expire when time is up: withdraw it and flag it again once ${them} people`;
      return `⚠️ Too few people are left in ${roleNames(note.roles, 'and')} to approve ${title}: ${then}.${card}`;
    }
    case 'staffed_again': {
      const has = note.roles.length > 1 ? 'have' : 'has';
      const others = note.stillShort ?? [];
      if (others.length > 0) {
        const still = others.length > 1 ? 'still have' : 'still has';
        return `✅ ${roleNames(note.roles, 'and')} ${has} enough people again to approve ${title}, but ${roleNames(others, 'and')} ${still} too few: it cannot be approved in time yet.${card}`;
      }
      return `✅ ${roleNames(note.roles, 'and')} ${has} enough people again to approve ${title}: it can be approved in time, nothing to do.${card}`;
    }
    default:
      return assertNever(note);
  }
}
