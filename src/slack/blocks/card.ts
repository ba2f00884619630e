import type { types } from '@slack/bolt';
import { isFinal, type FinalStatus, type MomentStatus, type MomentView } from '../../core/moment';
import { approvalsByRole, countingApprovals, eligibleRoles, holdsCurrentTierRole, leftBehind, leftTheirRoles, requestOpen, roleForApproval, rolesAwaited, waitsOn } from '../../core/policy';
import { assertNever } from '../../core/events';
import { inWords } from '../../core/words';
import type { DmReason, Note } from '../../core/notice';
import type { Roster } from '../../core/routing';
import { buttonValueFor } from '../ids';
import { dateToken, escapeAndCut, escapeText, mrkdwn, plainTitle, quote, quoteAndCut, roleNames } from './mrkdwn';
import { answeredRequestBlocks, decisionButtons, factsBlock, flaggedMessageHoldsCopy, headerBlock, reviseButton, reviewersBlock, statusBlock, statusWord, tierWords, withCopy } from './moment-parts';
import { noteText } from './notes';

export interface RenderedMessage {
  /** Fallback for notifications and screen readers; always set, always escaped. */
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

/**
 * The review card in the topic's channel: the whole story of the moment at a glance. `roster`: who is in each role
 * now, so Escalate is offered when the next tier has someone today (without it, as at the flag).
 */
export function buildCard(view: MomentView, roster?: Roster, options: { readonly firstPost?: boolean } = {}): RenderedMessage {
  const { text, blocks } = cardParts(view, roster, options);
  return { text, blocks };
}

/** Whether the card shows the moment's copy whole (a copy longer than a message holds is cut, see withCopy). */
export function cardShowsCopyWhole(view: MomentView): boolean {
  return !cardParts(view, undefined, {}).copyCut;
}

/** The card, and whether its copy was cut to fit (see withCopy). */
function cardParts(view: MomentView, roster: Roster | undefined, options: { readonly firstPost?: boolean }): RenderedMessage & { readonly copyCut: boolean } {
  const { moment } = view;
  // A new post notifies everyone it mentions: the card's first names nobody, since each reviewer has their own DM and
  // the flagger just flagged it (a big user group's members would all be pinged twice). The update that follows it,
  // which notifies nobody, names them.
  const quiet = options.firstPost === true;
  const { blocks, cut } = withCopy(
    moment,
    [headerBlock('⚡ ', moment.content.title)],
    [
      ...answeredRequestBlocks(view, quiet),
      factsBlock(view, quiet),
      reviewersBlock(view, roster, quiet),
      statusBlock(view, true, quiet),
      ...decisionButtons(view, { withdraw: true, roster }),
    ],
  );
  // The text is what a screen reader and a notification say: the urgency the blocks show is said there too.
  const urgent = moment.content.urgency === 'high' ? ', urgent' : '';
  return { text: `Moment #${moment.id} (${statusWord(view)}${urgent}): ${plainTitle(moment.content.title, 200)}`, blocks, copyCut: cut };
}

/**
 * A reviewer's DM: same buttons as the card, so a decision takes one tap on a phone. `currentRoles`: the roles the
 * directory gives the reviewer now (undefined: not known, the assignment is trusted); someone who left every role
 * they were asked in gets no buttons, since a press would be refused.
 */
export function buildReviewDm(
  view: MomentView,
  userId: string,
  why: DmReason,
  cardPermalink: string | undefined,
  roster?: Roster,
  currentRoles?: ReadonlySet<string>,
  now?: number,
): RenderedMessage {
  const { moment } = view;
  const roles = [...new Set(view.assignments.filter((a) => a.userId === userId && a.tier === moment.tier).map((a) => a.role))];
  const link = cardPermalink ? ` <${cardPermalink}|Open the card>` : '';
  const lead = reviewDmLead(view, userId, why, roles, currentRoles);
  // Someone taken out of every role they were asked in is shown nothing more of the moment: a revision or how it ended
  // is no longer theirs to read (the lists hide it from them too). Back in a role while it is open, a roster refresh
  // rewrites this DM whole; an ended moment's DMs are rendered once, as it ends, and no change of reviewers updates them.
  if (leftTheirRoles(view, userId, currentRoles)) {
    return { text: lead.text, blocks: [{ type: 'section', text: mrkdwn(`${lead.text}${link}`) }] };
  }
  return {
    text: notificationOf(lead.said, why, plainTitle(moment.content.title, 200), {
      roles: askedIn(view, userId, eligibleRoles(view, userId, currentRoles)).map((role) => escapeAndCut(role, 40)),
      left: now === undefined ? undefined : moment.dueAt - now,
      status: moment.state.status,
      urgent: moment.content.urgency === 'high',
    }),
    blocks: withCopy(
      moment,
      [{ type: 'section', text: mrkdwn(`${lead.text}${link}`) }, headerBlock('⚡ ', moment.content.title)],
      [
        ...answeredRequestBlocks(view),
        factsBlock(view),
        // Left behind by an escalation, the DM shows no due time while the moment is open: it is not updated as the
        // moment goes on (a revision gives the next tier a new window), and its reader has nothing to meet.
        ...(leftBehind(view, userId) && !isFinal(moment.state.status) ? [] : [statusBlock(view, lead.buttons)]),
        ...(lead.buttons ? decisionButtons(view, { withdraw: false, roster, noApprove: lead.said !== 'asked' }) : []),
      ],
    ).blocks,
  };
}

/**
 * A review DM about a tier or revision the moment has left, for someone asked again since (or no longer asked): it
 * says so once, without buttons or the copy (the copy it showed is not the one asked about now), and is then left
 * alone. Someone simply left behind by an escalation gets buildReviewDm's words instead.
 */
export function buildReplacedDm(view: MomentView, asked: { readonly tier: number; readonly revision: number }, cardPermalink: string | undefined): RenderedMessage {
  const { moment } = view;
  const title = plainTitle(moment.content.title, 200);
  const link = cardPermalink ? ` <${cardPermalink}|Open the card>` : '';
  const since =
    asked.revision !== moment.revision
      ? { short: `revision ${moment.revision}`, lead: `📝 <@${moment.flaggerId}> posted revision ${moment.revision} since this message` }
      : { short: 'an escalation', lead: `⬆️ This moment was escalated to ${tierWords(moment.plan, moment.tier)} since this message` };
  return {
    text: `${title}: replaced by ${since.short}`,
    blocks: [
      { type: 'section', text: mrkdwn(`${since.lead}, which no longer counts: anything asked of you now comes in a newer message.${link}`) },
      headerBlock('⚡ ', moment.content.title),
    ],
  };
}

/**
 * What a review DM's notification says (what a lock screen shows, from the message's text alone): why it came (a first
 * ask, a reminder, an escalation, a new revision), whether the flagger marked it urgent, in which role and how long is
 * left to decide, and a call to decide only where there is something to decide; once the moment has ended, how it ended.
 */
function notificationOf(
  said: LeadSays,
  why: DmReason,
  title: string,
  facts: { readonly roles: readonly string[]; readonly left: number | undefined; readonly status: MomentStatus; readonly urgent: boolean },
): string {
  const as = facts.roles.length > 0 ? ` as ${inWords(facts.roles, 'and')}` : '';
  const left = facts.left === undefined || facts.left <= 0 ? undefined : timeLeftWords(facts.left);
  const asks: Record<DmReason, string> = {
    review: `Review needed${as}${left ? ` (${left} left)` : ''}`,
    remind: left ? `Reminder: ${left} left to decide${as}` : `Reminder: review needed${as}`,
    escalated: `Escalated to you${as}${left ? ` (${left} left)` : ''}`,
    revised: `New revision to review${as}${left ? ` (${left} left)` : ''}`,
  };
  switch (said) {
    case 'asked':
      // First, where a lock screen cut short still shows it.
      return `${facts.urgent ? '🔥 Urgent: ' : ''}${asks[why]}: ${title}`;
    case 'approved':
      return `You approved: ${title} (waiting on other reviewers)`;
    case 'covered':
      return `${title}: your approval is not needed`;
    case 'later':
      return `${title}: changes requested, you will be asked again`;
    case 'done':
      return isFinal(facts.status) ? `${ENDED[facts.status]}: ${title} (nothing more is needed from you)` : `${title}: nothing more is needed from you`;
    default:
      return assertNever(said);
  }
}

/** How a moment ended, as a notification opens. */
const ENDED: Readonly<Record<FinalStatus, string>> = { approved: 'Approved', rejected: 'Rejected', expired: 'Expired', withdrawn: 'Withdrawn' };

/** Time left to decide, in the words a notification can hold: "25 min", "1 h 30 min", "under a minute". */
export function timeLeftWords(ms: number): string {
  // To the nearest minute: a DM sent a second after a 30-minute window opened says 30, not 29.
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const [hours, rest] = [Math.floor(minutes / 60), minutes % 60];
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * The roles a review DM asks `userId` to decide in: of those they hold, the ones still awaited (the card lists someone
 * in comms and legal under legal alone once comms is filled), or all they hold when none is (nothing to narrow).
 */
function askedIn(view: MomentView, userId: string, held: readonly string[]): readonly string[] {
  const awaited = rolesAwaited(view, userId, held);
  return awaited.length > 0 ? awaited : held;
}

/**
 * What a review DM says: asks for a decision; the reviewer approved; their role has its approvals without them (they
 * may still ask for changes or reject); they will be asked again after a revision; or nothing more is needed.
 */
type LeadSays = 'asked' | 'approved' | 'covered' | 'later' | 'done';

/**
 * What a review DM opens with, and whether it offers the decision buttons: only while the reviewer can still decide
 * (a press on any other would be refused). `roles`: the ones they are asked in at the moment's current tier.
 */
function reviewDmLead(
  view: MomentView,
  userId: string,
  why: DmReason,
  roles: readonly string[],
  currentRoles: ReadonlySet<string> | undefined,
): { text: string; buttons: boolean; said: LeadSays } {
  const { moment } = view;
  const status = moment.state.status;
  // The roles they still hold of those asked in (someone who left one of two decides for the other).
  const held = eligibleRoles(view, userId, currentRoles);
  const asking = askedIn(view, userId, held);
  const as = asking.length > 0 ? ` as ${roleNames(asking, 'and')}` : '';
  const done = (text: string) => ({ text, buttons: false, said: 'done' as const });
  if (status !== 'pending' && status !== 'changes_requested') return done(`This moment is ${status}: nothing more is needed from you.`);
  // Asked at a tier the moment has left: the reviewers of its tier decide now.
  if (leftBehind(view, userId)) {
    return done(`This moment was escalated to ${tierWords(moment.plan, moment.tier)}: they decide now, and nothing more is needed from you.`);
  }
  if (roles.length > 0 && !holdsCurrentTierRole(view, userId, currentRoles)) {
    return done(`You are no longer in ${roleNames(roles, 'or')}, so this moment is not yours to decide: nothing more is needed from you.`);
  }
  // The flagger is a reviewer only with self-approval: their DM speaks to them about their own moment.
  const ownMoment = userId === moment.flaggerId;
  if (status === 'changes_requested') {
    // Nothing to press until the revision (the card offers reviewers nothing either), which is DMed anew; the
    // flagger's own DM follows their revision in place.
    const text = ownMoment
      ? 'Changes were requested: once you post a new revision, this message asks for your decision on it.'
      : `Changes were requested: <@${moment.flaggerId}> is revising it, and you will be asked again.`;
    return { text, buttons: false, said: 'later' };
  }
  // Their approval of this revision is in: the DM says so (on a phone the card is out of sight) and waits on the others.
  // It fills one seat, in one role (someone in comms and legal approves once).
  const approval = countingApprovals(view).find((d) => d.userId === userId);
  if (approval) {
    // The seat it fills, among the roles held when pressing (the card's matching): not the roles held now.
    const filled = roleForApproval(view, userId, approval.heldRoles ?? held);
    return { text: `✅ You approved this${filled === '' ? '' : ` as ${roleNames([filled], 'and')}`}. It still waits on other reviewers.`, buttons: true, said: 'approved' };
  }
  // Others filled their roles' seats: an approval of theirs would count for nothing, but a reject or a request for
  // changes still does.
  if (held.length > 0 && !waitsOn(view, userId, new Set(held))) {
    const byRole = approvalsByRole(view);
    const filledBy = [...new Set(held.flatMap((role) => byRole.get(role) ?? []))].map((u) => `<@${u}>`);
    return {
      text: `✅ ${roleNames(held, 'and')} ${held.length > 1 ? 'have the approvals they need' : 'has the approvals it needs'}${filledBy.length > 0 ? ` (${inWords(filledBy, 'and', 'approver')})` : ''}, so yours is not needed. You can still ask for changes or reject it.`,
      buttons: true,
      said: 'covered',
    };
  }
  // Only an approval that counted on the revision just replaced (same tier) stopped counting now.
  const approvedBefore = view.decisions.some((d) => d.action === 'approve' && d.userId === userId && d.revision === moment.revision - 1 && d.tier === moment.tier);
  const intro: Record<DmReason, string> = {
    review: ownMoment ? `You flagged this moment, and your own decision counts${as}.` : `<@${moment.flaggerId}> needs your decision${as}.`,
    escalated: `This moment was escalated to you${as}: your decision alone settles it.`,
    revised: `${ownMoment ? 'You' : `<@${moment.flaggerId}>`} posted revision ${moment.revision}${approvedBefore ? ': your earlier approval no longer counts' : `, which needs your decision${as}`}.`,
    remind: `⏰ Reminder: this moment still needs your decision${as}.`,
  };
  return { text: intro[why], buttons: true, said: 'asked' };
}

/**
 * The approval DM carries the copy to post: on a phone, the card is a tap and a scroll away. The DM is text alone, which
 * Slack takes reliably up to 4,000 characters (past that it may refuse it, `msg_too_long`, and the flagger would hear
 * nothing); a copy that does not fit says it was cut, and where it is whole: the flagged message while it still holds
 * the approved words, else the card where it shows them whole (a quick flag's 4,000 characters fit there).
 */
function approvedText(view: MomentView, note: Note, cardPermalink: string | undefined): string {
  const { moment } = view;
  const said = noteText(note, moment, undefined);
  const open = cardPermalink ? `\n<${cardPermalink}|Open the card>` : '';
  const whole = quote(escapeText(moment.content.copy));
  if (said.length + whole.length + open.length + 1 <= APPROVED_TEXT_MAX) return `${said}\n${whole}${open}`;
  const since = note.what === 'approved' ? note.messageSince : undefined;
  const where = flaggedMessageHoldsCopy(moment, since)
    ? ': the whole copy is in the flagged message'
    : cardPermalink && cardShowsCopyWhole(view)
      ? ': the whole copy is on the card'
      : '';
  const cut = `\n_Cut here to fit a message${where}._`;
  const copy = quoteAndCut(moment.content.copy, Math.max(1, APPROVED_TEXT_MAX - said.length - cut.length - open.length - 1));
  return `${said}\n${copy}${cut}${open}`;
}

/** The most an approval DM's text holds: Slack's advice for a message's text is 4,000 characters at most. */
export const APPROVED_TEXT_MAX = 3_900;

/**
 * The flagger's DM about what happened to their moment. A request for changes carries Revise… while the moment still
 * waits for a revision of `askedOn` (the revision the request was made on), so the flagger answers from their phone
 * in one tap; once a revision or the end settles it, the same DM says so instead of offering the button.
 */
export function buildFlaggerNote(
  view: MomentView,
  note: Note,
  cardPermalink: string | undefined,
  askedOn = view.moment.revision,
  reminder = false,
  now?: number,
): RenderedMessage {
  const { moment } = view;
  const open = requestOpen(view, askedOn);
  const left = open && now !== undefined && moment.dueAt > now ? timeLeftWords(moment.dueAt - now) : undefined;
  const remind = !reminder ? '' : open ? `⏰ Reminder: your new revision is ${left ? `due within ${left}` : 'still due'}.\n` : '⏰ Reminder of this request.\n';
  const said = note.what === 'approved' ? approvedText(view, note, cardPermalink) : `${remind}${noteText(note, moment, cardPermalink)}`;
  if (note.what !== 'request_changes') return { text: said, blocks: [] };
  // What the lock screen shows says what to do by when (the message itself says it under the request, with the date).
  const text = left && !reminder ? `${said}\n⏰ Send a new revision within ${left}, or the moment expires.` : said;
  const request: types.KnownBlock = { type: 'section', text: mrkdwn(said) };
  if (isFinal(moment.state.status)) return { text, blocks: [request, statusBlock(view)] };
  if (moment.revision !== askedOn) {
    return { text, blocks: [request, { type: 'context', elements: [mrkdwn('📝 You sent a new revision: the reviewers have been asked again.')] }] };
  }
  if (!open) return { text, blocks: [] };
  const value = buttonValueFor(moment);
  const due: types.KnownBlock = { type: 'context', elements: [mrkdwn(`⏰ Send a new revision by ${dateToken(moment.dueAt)}, or the moment expires.`)] };
  return { text, blocks: [request, due, { type: 'actions', block_id: `revise:${moment.id}`, elements: [reviseButton(value)] }] };
}
