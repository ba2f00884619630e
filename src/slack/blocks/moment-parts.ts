import type { types } from '@slack/bolt';
import { assertNever } from '../../core/events';
import { approvalCanCount, isFinal, tierRoles, type AttachedFile, type Assignment, type Moment, type MomentView, type ReviewPlan } from '../../core/moment';
import type { MessageSince } from '../../core/notice';
import { inWords } from '../../core/words';
import { seatKey, type Roster } from '../../core/routing';
import { approvalsByRole, awaitedRevision, awaitedSeats, countingApprovals, currentAssignments, currentRequirement, nextDecidingTier, rolesLeftShort, seatsStillNeeded } from '../../core/policy';
import { buttonValueFor, ACTION, LIMIT } from '../ids';
import { blockText, cutPlain, dateToken, escapeAndCut, fitLines, mrkdwn, quoteAndCut, quotedSections, roleNames, safeLink, titleText } from './mrkdwn';

type Block = types.KnownBlock;

const STATUS_ICON = { approved: '✅', rejected: '❌', expired: '⌛', withdrawn: '↩️', pending: '⏳', changes_requested: '✏️' } as const;

/** Where a moment sits, named by the roles that decide there ("*leads*"): nobody reading a card knows tier numbers. */
export function tierWords(plan: ReviewPlan, tier: number): string {
  const roles = tierRoles(plan, tier);
  return roles.length > 0 ? roleNames(roles, 'and') : `tier ${tier}`;
}

export function headerBlock(prefix: string, title: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: cutPlain(`${prefix}${title}`, LIMIT.headerText), emoji: true } };
}

/**
 * Sections the copy may take on a card or in a DM: a quick flag takes 4,000 characters, two sections' worth; a message
 * flagged whole may hold 40,000, of which these show the start.
 */
const COPY_SECTIONS = 4;

/**
 * The text a message's blocks may hold in all. Slack refuses more (`msg_blocks_too_long`, the whole message lost) past
 * a limit it does not publish per method: "12,000 characters" in its markdown block's reference, refusals reported from
 * about 11,300. What the rest of a card or DM takes is left out of the copy's share.
 */
export const MESSAGE_BLOCKS_TEXT_MAX = 10_000;

/** The copy's share however much the rest of a message holds (a rest that large is made of 3,000-character reasons). */
const COPY_TEXT_AT_LEAST = 1_500;

/**
 * A message's blocks with the copy between `before` and `after`: the copy takes what the rest leaves of
 * MESSAGE_BLOCKS_TEXT_MAX, so a long copy beside a long reason is cut rather than the whole message refused. `cut`:
 * the copy was not shown whole.
 */
export function withCopy(moment: Moment, before: readonly Block[], after: readonly Block[]): { readonly blocks: Block[]; readonly cut: boolean } {
  const share = Math.max(COPY_TEXT_AT_LEAST, MESSAGE_BLOCKS_TEXT_MAX - blockText(before) - blockText(after) - cutNote(moment).length);
  const { sections, cut } = quotedSections(moment.content.copy, LIMIT.sectionText, COPY_SECTIONS, share);
  // Cut at one section, a reviewer approved text they were never shown: what does not fit says where the whole copy is.
  const copy = [...sections.map(section), ...(cut ? [context(cutNote(moment))] : [])];
  return { blocks: [...before, ...copy, ...after], cut };
}

/**
 * Whether an approval may send the flagger to the flagged message for the whole copy: flagged whole from the message
 * (not edited in the form), not revised since, and the message looked at again and found as flagged (`since`
 * undefined: not edited or deleted since, nor unknown).
 */
export function flaggedMessageHoldsCopy(moment: Moment, since: MessageSince | undefined): boolean {
  return moment.source !== undefined && moment.source.edited !== true && moment.revision === 1 && since === undefined;
}

/**
 * Where a cut copy is whole, as a card or review DM can tell without looking: the flagged message, while its moment is
 * under review at its first revision (the words reviewers decide on are the message's as flagged). Not once decided (the
 * message may have been edited since; the approval's notes look and say where), nor for a revision, whose copy the
 * message does not hold, or holds as it was before reviewers asked for changes, possibly edited since.
 */
function cutNote(moment: Moment): string {
  const inMessage = !isFinal(moment.state.status) && flaggedMessageHoldsCopy(moment, undefined);
  return `✂️ _Cut here to fit a message${inMessage ? ': the whole copy is in the flagged message' : ''}._`;
}

/**
 * `quiet`: for a post that notifies whoever it mentions (a card's first post), people are not named; see buildCard.
 */
export function factsBlock(view: MomentView, quiet = false): Block {
  const { moment } = view;
  const parts = [...(quiet ? [] : [`Flagged by <@${moment.flaggerId}>`]), `Topic *${escapeAndCut(moment.topic, 80)}*`, `#${moment.id}`];
  if (moment.content.urgency === 'high') parts.push('🔥 *Urgent*');
  if (moment.revision > 1) parts.push(`Revision ${moment.revision}`);
  // A link that is the flagged message itself is shown once, as the way back to it below.
  const link = moment.content.link === moment.source?.permalink ? undefined : safeLink(moment.content.link);
  if (link !== undefined && link.length < 1000) parts.push(`Source: ${link}`);
  // Flagged from a message: where it was said, and a way back to it (who said it, its thread).
  if (moment.source) {
    const message = safeLink(moment.source.permalink, 'the message');
    // A channel (C…, or G… for a private one or an older group DM) reads as its name; a DM (D…) as such, since `<#D…>`
    // shows nothing readable.
    const inChannel = /^[CG][A-Z0-9]+$/.test(moment.source.channel);
    const where = inChannel ? `<#${moment.source.channel}>` : 'a direct message';
    parts.push(`From ${where}${message !== undefined && message.length < 1000 ? ` (${message})` : ''}`);
    // An image post reads as its caption alone: reviewers are told there is more to see before they approve it.
    if (moment.source.files !== undefined && moment.source.files.length > 0) parts.push(filesLine(moment.source.files, inChannel));
  }
  return { type: 'context', elements: [mrkdwn(parts.join('  ·  '))] };
}

/** Files kept of a message (see filesOf) that a card names in full; more are counted. */
const FILES_NAMED = 3;

/**
 * "📎 1 image (dunk.png): open the message to see it", the kinds counted and a few names given. A message in a direct
 * message (`inChannel` false) is one its reviewers cannot open: they are told to ask the flagger for what it holds.
 */
export function filesLine(files: readonly AttachedFile[], inChannel = true): string {
  const counts = new Map<AttachedFile['kind'], number>();
  for (const file of files) counts.set(file.kind, (counts.get(file.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, n]) => `${n} ${n === 1 ? kind : `${kind}s`}`);
  const kindsText = kinds.length === 1 ? (kinds[0] ?? '') : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1) ?? ''}`;
  // Named as titles are (no markup of their own); one Slack gives no name for is counted only.
  const named = files.filter((file) => file.name.trim() !== '');
  const names = named.slice(0, FILES_NAMED).map((file) => titleText(file.name, 60));
  const more = named.length > FILES_NAMED ? `, +${named.length - FILES_NAMED} more` : '';
  const it = files.length === 1 ? 'it' : 'them';
  const see = inChannel ? `open the message to see ${it}` : `in a direct message its reviewers cannot open: ask the flagger to share ${it}`;
  return `📎 ${kindsText}${names.length > 0 ? ` (${names.join(', ')}${more})` : ''}: ${see}`;
}

/**
 * A revision under review shows the request for changes it answers: on a phone, a reviewer checks the new copy against
 * what was asked without opening the card's thread. None before the first revision, and none once it is decided.
 */
export function answeredRequestBlocks(view: MomentView, quiet = false): Block[] {
  const { moment } = view;
  if (moment.state.status !== 'pending' || moment.revision < 2) return [];
  const request = view.decisions.filter((d) => d.action === 'request_changes' && d.revision === moment.revision - 1).at(-1);
  if (!request) return [];
  const by = request.userId === undefined || quiet ? 'the request for changes' : `<@${request.userId}>'s request for changes`;
  return [withQuote(`✏️ Revision ${moment.revision} answers ${by}:`, request.comment)];
}

/**
 * Who must approve and where each reviewer stands. `roster`: who is in each role now; while the moment is open, a
 * reviewer who has left their role and has not approved is no longer listed as awaited (they can no longer decide).
 */
export function reviewersBlock(view: MomentView, roster?: Roster, quiet = false): Block {
  const state = view.moment.state;
  const open = state.status === 'pending' || state.status === 'changes_requested';
  const rejectedBy = state.status === 'rejected' ? state.by : undefined;
  // Each approval fills one seat of one role (approvalsByRole's matching): someone in comms and legal who approved is
  // ✅ in the role it counted for. A reviewer who approved and then rejected (their DM keeps Reject…) is counted as
  // the veto they ended on.
  const approvals = approvalsByRole(view);
  const approverIn = (role: string) => (approvals.get(role) ?? []).filter((userId) => userId !== rejectedBy);
  const seated = new Set([...approvals.values()].flat());
  const approvedUsers = new Set(countingApprovals(view).map((d) => d.userId));
  const assignments = currentAssignments(view);
  // Who is still waited for, seat by seat: someone who left the role (by the rule escalation uses), a flagger whose
  // approval does not count, or someone whose approval in this role would fill no seat (it has what it needs) is not.
  const awaited = awaitedSeats(view, roster);
  const stillNeeded = seatsStillNeeded(view, awaited);
  // An approval that filled no seat (pressed once the role had its count) is still shown, in the person's role(s).
  // Once it is closed, the card lists who was asked and did not act (never a flagger whose approval could not count).
  const { plan, flaggerId } = view.moment;
  const listed = (a: Assignment, approvers: readonly string[]) =>
    approvers.includes(a.userId) ||
    a.userId === rejectedBy ||
    (approvedUsers.has(a.userId) && !seated.has(a.userId)) ||
    (open ? stillNeeded.has(seatKey(a)) : !approvedUsers.has(a.userId) && approvalCanCount(plan, flaggerId, a.userId));
  const tierLabel = view.moment.tier === 0 ? '*Needs*' : `*Escalated* to ${tierWords(view.moment.plan, view.moment.tier)}: any one of them decides`;
  // A role whose people left it can no longer approve: said first (never cut), or the card would show a live Approve
  // and wait in silence for its deadline. Nobody who joins the role later is asked (reviewers are seated at the flag
  // and at each escalation), so without a later tier the moment can only expire or be flagged again.
  const short = rolesLeftShort(view, roster, awaited);
  const then = () =>
    nextDecidingTier(view, roster) !== undefined
      ? 'escalate it now, or it escalates when time is up'
      : `it expires when time is up. Its flagger can withdraw it and flag it again once ${short.length > 1 ? 'these roles have' : 'the role has'} people`;
  const label = short.length === 0 ? tierLabel : `${tierLabel}\n⚠️ Too few people left in ${roleNames(short, 'and')} to approve it: ${then()}.`;
  const required = Object.entries(currentRequirement(view));
  // Each role gets its share of the section, so one crowded role (a big user group) cuts its own list of people
  // instead of pushing every other role off the card (past a few dozen roles, the last ones are counted instead).
  const perRole = Math.max(200, Math.floor((LIMIT.sectionText - label.length - 40) / Math.max(1, required.length)) - 1);
  const mark = (userId: string) => (userId === rejectedBy ? '❌' : approvedUsers.has(userId) ? '✅' : open ? '⏳' : '–');
  const lines: string[] = [];
  for (const [role, count] of required) {
    const approvers = approverIn(role);
    const done = approvers.length >= count;
    const people = assignments
      .filter((a) => a.role === role && listed(a, approvers))
      .map((a) => ({ text: `<@${a.userId}> ${mark(a.userId)}`, acted: approvedUsers.has(a.userId) || a.userId === rejectedBy }));
    const head = `${done ? '✅' : open ? '⏳' : '–'} *${escapeAndCut(role, 60)}* ${approvers.length}/${count}: `;
    const named = quiet ? (people.length === 0 ? '' : `_${people.length} asked by DM_`) : fitPeople(people, perRole - head.length);
    lines.push(`${head}${named || (open ? '_nobody left_' : '_nobody assigned_')}`);
  }
  return { type: 'section', text: mrkdwn(fitLines(lines, LIMIT.sectionText, label)) };
}

/**
 * A role's reviewers within `max` characters: all of them when they fit; otherwise those who approved or rejected
 * first (what the card is read for), then whoever else fits, and "+N more".
 */
function fitPeople(people: readonly { text: string; acted: boolean }[], max: number): string {
  const all = people.map((p) => p.text).join('  ');
  if (all.length <= max) return all;
  const ordered = [...people.filter((p) => p.acted), ...people.filter((p) => !p.acted)];
  const kept: string[] = [];
  let length = 0;
  // Room for "  +NNNN more" is kept for the end.
  while (kept.length < ordered.length && length + 2 + (ordered[kept.length]?.text.length ?? 0) + 14 <= max) {
    length += 2 + (ordered[kept.length]?.text.length ?? 0);
    kept.push(ordered[kept.length]?.text ?? '');
  }
  return `${kept.join('  ')}  +${ordered.length - kept.length} more`;
}

export function statusBlock(view: MomentView, canDecide = true, quiet = false): Block {
  const { moment } = view;
  const state = moment.state;
  const by = (userId: string | undefined, words = 'by') => (quiet || userId === undefined ? '' : ` ${words} <@${userId}>`);
  switch (state.status) {
    case 'pending':
      // "Decide by" speaks to whoever can press; anyone else (a DM with nothing left to press) reads whose deadline it is.
      return context(canDecide ? `⏰ Decide by ${dateToken(moment.dueAt)}` : `⏳ Its reviewers decide by ${dateToken(moment.dueAt)}`);
    case 'changes_requested':
      return withQuote(`✏️ *Changes requested*${by(state.by)}, new revision due by ${dateToken(moment.dueAt)}`, state.comment);
    case 'approved':
      return section(`${STATUS_ICON.approved} *Approved*${quiet || !state.by ? '' : ` (last approval by <@${state.by}>)`} ${dateToken(state.at)}`);
    case 'rejected':
      return withQuote(`${STATUS_ICON.rejected} *Rejected*${by(state.by ?? 'unknown')} ${dateToken(state.at)}`, state.comment);
    case 'expired':
      return section(`${STATUS_ICON.expired} *Expired*: ${awaitedRevision(view) ? 'no new revision came' : 'not approved'} in time ${dateToken(state.at)}`);
    case 'withdrawn':
      return section(`${STATUS_ICON.withdrawn} *Withdrawn*${by(state.by ?? moment.flaggerId)} ${dateToken(state.at)}`);
    default:
      return assertNever(state);
  }
}

/**
 * Approve / Request changes… / Reject… (and Escalate while a later tier has someone who can decide), only while the
 * moment waits for a decision; a closed card shows its status instead. The card also offers the flagger Withdraw, and
 * Revise… while changes are requested (reviewers' DMs then have nothing to press).
 */
export function decisionButtons(view: MomentView, options: { withdraw: boolean; roster?: Roster | undefined; noApprove?: boolean }): Block[] {
  const status = view.moment.state.status;
  const value = buttonValueFor(view.moment);
  if (status === 'changes_requested' && options.withdraw) {
    return [{ type: 'actions', block_id: `decide:${view.moment.id}`, elements: [reviseButton(value), withdrawButton(value)] }];
  }
  if (status !== 'pending') return [];
  // Escalate only where someone could take it: a tier of nobody would just silence the moment (and is refused).
  const nextTier = nextDecidingTier(view, options.roster);
  const elements = reviewerButtons(value, {
    // A reviewer who approved this revision, or whose role has its approvals without them, has nothing to approve (they
    // may still reject or ask for changes).
    approve: options.noApprove !== true,
    escalateTo: nextTier === undefined ? undefined : tierRoles(view.moment.plan, nextTier),
  });
  if (options.withdraw) elements.push(withdrawButton(value));
  return [{ type: 'actions', block_id: `decide:${view.moment.id}`, elements }];
}

/**
 * What a reviewer decides a pending moment with, on its card, in their DM and in App Home alike: Approve (unless
 * `approve` is false), Request changes…, Reject…, and Escalate when `escalateTo` names the roles a later tier would
 * ping. `value`: the moment, revision and tier shown (encodeButtonValue).
 */
export function reviewerButtons(value: string, options: { approve: boolean; escalateTo: readonly string[] | undefined }): types.Button[] {
  const elements: types.Button[] = [
    ...(options.approve ? [{ type: 'button' as const, action_id: ACTION.approve, style: 'primary' as const, text: { type: 'plain_text' as const, text: 'Approve' }, value }] : []),
    // The modals are the confirmation: what should change, or the reason (one reject is final).
    { type: 'button', action_id: ACTION.requestChanges, text: { type: 'plain_text', text: 'Request changes…' }, value },
    { type: 'button', action_id: ACTION.reject, style: 'danger', text: { type: 'plain_text', text: 'Reject…' }, value },
  ];
  if (options.escalateTo !== undefined) elements.push(escalateButton(value, options.escalateTo));
  return elements;
}

/** The flagger's way to answer a request for changes: opens the moment's content to edit. */
export function reviseButton(value: string): types.Button {
  return { type: 'button', action_id: ACTION.revise, style: 'primary', text: { type: 'plain_text', text: 'Revise…' }, value };
}

/** Escalate, confirmed by naming who it pings: `roles`, those of the tier it would reach. */
export function escalateButton(value: string, roles: readonly string[]): types.Button {
  return {
    type: 'button',
    action_id: ACTION.escalate,
    text: { type: 'plain_text', text: 'Escalate' },
    value,
    confirm: confirmDialog('Escalate now?', `Everyone in ${cutPlain(inWords(roles, 'and'), 150)} is pinged; any one of them decides alone.`, 'Escalate'),
  };
}

export function withdrawButton(value: string): types.Button {
  return {
    type: 'button',
    action_id: ACTION.withdraw,
    text: { type: 'plain_text', text: 'Withdraw' },
    value,
    confirm: confirmDialog('Withdraw this moment?', 'Only the flagger can withdraw. Reviewers stop being asked.', 'Withdraw'),
  };
}

function confirmDialog(title: string, text: string, confirm: string): types.ConfirmationDialog {
  return {
    title: { type: 'plain_text', text: title },
    text: { type: 'plain_text', text },
    confirm: { type: 'plain_text', text: confirm },
    deny: { type: 'plain_text', text: 'Cancel' },
  };
}

export function statusWord(view: MomentView): string {
  const status = view.moment.state.status;
  return `${STATUS_ICON[status]} ${status === 'changes_requested' ? 'changes requested' : status}`;
}

/** Bot-written lines only: short by construction. */
function section(text: string): Block {
  return { type: 'section', text: mrkdwn(text) };
}

/** A status line followed by the person's words, quoted and cut to fit the section. */
function withQuote(line: string, comment: string | undefined): Block {
  if (!comment) return section(line);
  return section(`${line}\n${quoteAndCut(comment, LIMIT.sectionText - line.length - 1, true)}`);
}

function context(text: string): Block {
  return { type: 'context', elements: [mrkdwn(text)] };
}
