import { assertNever, type MomentEvent } from './events';
import type { DecisionRecord, MomentContent, MomentView } from './moment';
import { approvalCanCount, isFinal, tierRoles } from './moment';
import { awaitedRevision, currentAssignments, eligibleRoles, isRequirementMet, leftBehind, nextDecidingTier, roleForApproval } from './policy';
import { refuse, type Refusal } from './refusal';
import { inWords, isBlank } from './words';
import { seatsToAdd, tierReviewers, type Roster } from './routing';

/** Who acts, and the roles the directory says they hold now (undefined: trust the assignments). */
export interface Actor {
  readonly userId: string;
  readonly currentRoles: ReadonlySet<string> | undefined;
}

/**
 * `revision` and `fromTier`: the revision and tier the card, DM or form showed when it was pressed; a press on one the
 * moment has left is refused, since what the presser saw is not what is asked now. `stamp`: the stamp of the moment the
 * button was for (see Moment); a press on another moment's button is refused.
 */
export type Command = (
  | { readonly kind: 'approve'; readonly actor: Actor; readonly revision?: number; readonly fromTier?: number }
  | { readonly kind: 'reject'; readonly actor: Actor; readonly reason: string; readonly revision?: number; readonly fromTier?: number }
  | { readonly kind: 'request_changes'; readonly actor: Actor; readonly comment: string; readonly revision?: number; readonly fromTier?: number }
  /** `roster`: the directory's members of each role now, so the next tier is asked as it is today. */
  | { readonly kind: 'escalate'; readonly actor: Actor; readonly comment?: string; readonly revision?: number; readonly fromTier?: number; readonly roster?: Roster }
  | { readonly kind: 'withdraw'; readonly actor: Actor }
  /** `revision`: the one the flagger's form was opened on; a form older than a later revision is refused. */
  | { readonly kind: 'revise'; readonly actor: Actor; readonly content: MomentContent; readonly revision?: number }
) & { readonly stamp?: string };

/** `command` as pressed on a button carrying `stamp` (none: an older button, taken as it was). */
export function pressedOn(command: Command, stamp: string | undefined): Command {
  return stamp === undefined ? command : { ...command, stamp };
}

/** Told about a press on a button of a moment this database no longer has: the id was given again since. */
export const OTHER_MOMENT =
  'This button is from a moment Greenlight no longer has (its database was restored from a backup or replaced since), so nothing was recorded. Ask its flagger to flag it again.';

export type Decided = { readonly ok: true; readonly events: MomentEvent[] } | Refusal;

/** Whether `userId` has a part in the moment: its flagger, or a reviewer asked at any tier. */
export function takesPart(view: MomentView, userId: string): boolean {
  return userId === view.moment.flaggerId || view.assignments.some((a) => a.userId === userId);
}

/**
 * Whether the answer to a refused press may name the moment (a DM answering App Home opens with its title): only to
 * someone with a part in it. A press can be made up for any id, and a crisis's title is not for everyone; a button of
 * another moment (a restored database) is about none of this one.
 */
export function refusalNamesMoment(view: MomentView, userId: string, refusal: Refusal): boolean {
  return refusal.code !== 'other_moment' && takesPart(view, userId);
}

/**
 * The decider: given what is stored about a moment and a person's command at `now`,
 * the events that follow, or why nothing does. Pure.
 */
export function decide(view: MomentView, command: Command, now: number): Decided {
  const { moment } = view;
  const state = moment.state;
  // First: a button of another moment that had this id says nothing about this one, not even how it ended.
  if (command.stamp !== undefined && moment.stamp !== undefined && command.stamp !== moment.stamp) return refuse('other_moment', OTHER_MOMENT);
  if (isFinal(state.status)) {
    // Nor how it ended, to someone with no part in it.
    if (!takesPart(view, command.actor.userId)) return notYours(view, command.actor.userId);
    return refuse('already_final', finalMessage(view));
  }
  const roles = eligibleRoles(view, command.actor.userId, command.actor.currentRoles);
  const isFlagger = command.actor.userId === moment.flaggerId;
  const seats = view.assignments.filter((a) => a.userId === command.actor.userId);
  // Asked at this tier or one before: someone seated only at a later tier has no turn yet (a press racing the card's
  // update).
  const asked = seats.some((a) => a.tier <= moment.tier);
  // Someone with no part in the moment hears "not yours" whatever it waits on, and so does a reviewer an escalation left
  // behind, or one taken out of every role they are asked in at this tier: "wait for the new revision" or "decide on the
  // latest card" would promise them a turn that never comes. The flagger's own commands are answered below.
  const outOfTheirRoles = roles.length === 0 && seats.some((a) => a.tier === moment.tier);
  const noPart = !asked || leftBehind(view, command.actor.userId) || outOfTheirRoles;
  if (roles.length === 0 && noPart && !isFlagger && command.kind !== 'withdraw' && command.kind !== 'revise') {
    return notYours(view, command.actor.userId);
  }
  if ('revision' in command && command.revision !== undefined && command.revision !== moment.revision) {
    // The flagger's own form, opened before their later revision: they revise, they do not decide.
    if (command.kind === 'revise') {
      return refuse('stale_revision', `This form was opened on revision ${command.revision}; revision ${moment.revision} was posted since. Nothing was changed.`);
    }
    // Pressed on a card, a DM or a form left open: what it showed is old. While the newer revision waits for changes too,
    // nothing can be decided now, and a "decide on the latest card" would send them to a card with no buttons.
    // The flagger, unless they review it too, is never asked: they revise, or follow it.
    // So is a flagger who reviews but was taken out of every role they are asked in.
    const flaggerOnly = isFlagger && (roles.length === 0 || !approvalCanCount(moment.plan, moment.flaggerId, command.actor.userId));
    const by = state.status === 'changes_requested' && state.by !== '' ? ` by <@${state.by}>` : '';
    const next =
      state.status === 'changes_requested'
        ? isFlagger
          ? `Changes were requested on it${by}: send a new revision with Revise… in your DM.`
          : `Changes were requested on it${by}: you will be asked again when the new revision comes.`
        : flaggerOnly
          ? 'Its reviewers are asked about the new revision now.'
          : 'Decide on the latest card or your newest DM.';
    return refuse('stale_revision', `This was shown on revision ${command.revision}; the copy has changed since (revision ${moment.revision}). ${next}`);
  }
  // An approval meant for the first tier must not close the moment as the next tier's decision (someone in both).
  // Escalate words its own refusal below.
  if (command.kind !== 'escalate' && 'fromTier' in command && command.fromTier !== undefined && command.fromTier !== moment.tier && state.status === 'pending' && asked) {
    // Only someone asked at the new tier too has a later card to decide on; anyone else is done with it.
    const askedThere = view.assignments.some((a) => a.userId === command.actor.userId && a.tier === moment.tier);
    const next = askedThere ? 'Decide on the latest card.' : 'Nothing more is needed from you.';
    return refuse('stale_tier', `This moment was escalated to ${quotedRoles(moment, moment.tier)} since this was shown: they decide now. ${next}`);
  }
  // Who asked for the changes the moment waits on, for whoever presses meanwhile (user ids from the store, never user text).
  const askedBy = state.status === 'changes_requested' && state.by !== '' ? ` by <@${state.by}>` : '';
  const record = (action: DecisionRecord['action'], role: string | undefined, comment: string | undefined): DecisionRecord => ({
    userId: command.actor.userId,
    role,
    action,
    comment,
    revision: moment.revision,
    tier: moment.tier,
    at: now,
  });

  switch (command.kind) {
    case 'approve': {
      if (state.status !== 'pending') return refuse('not_pending', `Changes were requested${askedBy}: wait for the new revision before approving.`);
      if (roles.length === 0) return notYours(view, command.actor.userId);
      if (!approvalCanCount(moment.plan, moment.flaggerId, command.actor.userId)) {
        return refuse('own_approval', 'You flagged this moment, so your own approval does not count. Another reviewer has to approve it.');
      }
      const already = view.decisions.some(
        (d) => d.action === 'approve' && d.userId === command.actor.userId && d.revision === moment.revision && d.tier === moment.tier,
      );
      if (already) return refuse('already_approved', 'You already approved this version. Nothing more is needed from you.');
      const approval = (role: string | undefined): DecisionRecord => ({ ...record('approve', role, undefined), heldRoles: roles });
      const counted: MomentView = { ...view, decisions: [...view.decisions, approval(roles[0])] };
      const decision = approval(roleForApproval(counted, command.actor.userId, roles));
      const events: MomentEvent[] = [{ type: 'approval_recorded', decision }];
      const after: MomentView = { ...view, decisions: [...view.decisions, decision] };
      if (isRequirementMet(after)) events.push({ type: 'approved', by: command.actor.userId, at: now });
      return { ok: true, events };
    }
    case 'reject': {
      // As approving: while the flagger revises there is no copy to decide on (the card offers no Reject then either).
      if (state.status !== 'pending') return refuse('not_pending', `Changes were requested${askedBy}: wait for the new revision before deciding.`);
      if (roles.length === 0) return notYours(view, command.actor.userId);
      // Where their approval does not count, the flagger does not review their own moment at all: they withdraw it.
      if (!approvalCanCount(moment.plan, moment.flaggerId, command.actor.userId)) {
        return refuse('own_reject', 'You flagged this moment, so its reviewers decide on it, not you. To stop it, withdraw it.');
      }
      const reason = command.reason.trim();
      if (isBlank(reason)) return refuse('comment_required', 'A reason is required to reject a moment.');
      return { ok: true, events: [{ type: 'rejected', decision: record('reject', roles[0], reason) }] };
    }
    case 'request_changes': {
      if (state.status !== 'pending') return refuse('not_pending', `Changes were already requested on this moment${askedBy}.`);
      if (roles.length === 0) return notYours(view, command.actor.userId);
      // A revision voids the approvals given: the flagger may not open that door for themselves.
      if (!approvalCanCount(moment.plan, moment.flaggerId, command.actor.userId)) {
        return refuse('own_request', 'You flagged this moment, so its reviewers ask for changes, not you. To change it yourself, withdraw it and flag it again.');
      }
      const comment = command.comment.trim();
      if (isBlank(comment)) return refuse('comment_required', 'Say what should change: a comment is required.');
      return {
        ok: true,
        events: [{ type: 'changes_requested', decision: record('request_changes', roles[0], comment), dueAt: now + moment.plan.decideWithinMs }],
      };
    }
    case 'escalate': {
      if (state.status !== 'pending') return refuse('not_pending', 'Only a moment waiting for a decision can be escalated.');
      if (roles.length === 0 && !isFlagger) return notYours(view, command.actor.userId);
      // A second press, or one on a card not yet updated after a timeout escalated it, must not skip a tier.
      if (command.fromTier !== undefined && command.fromTier !== moment.tier) {
        // Escalate again only where it can go further; someone asked at this tier is one of those who decide now.
        const further = nextDecidingTier(view, command.roster) === undefined ? ': they are the last it can go to.' : '. Escalate from the latest card if they do not answer.';
        const decides = roles.length > 0 && approvalCanCount(moment.plan, moment.flaggerId, command.actor.userId);
        const yours = decides ? ' You are one of them: decide from your newest DM or the card.' : '';
        return refuse('stale_tier', `This moment was already escalated to ${quotedRoles(moment, moment.tier)}, who have been asked${further}${yours}`);
      }
      if (moment.tier + 1 >= moment.plan.tiers.length) {
        return refuse(
          'no_higher_tier',
          moment.tier === 0
            ? 'There is nobody to escalate this moment to: its topic names no one to escalate to in the routing file.'
            : `This moment is already with ${quotedRoles(moment, moment.tier)}, the last it can be escalated to.`,
        );
      }
      // Tiers nobody can decide in are skipped; with none left, escalating would only silence the moment.
      const toTier = nextDecidingTier(view, command.roster);
      if (toTier === undefined) return refuse('nobody_at_next_tier', nobodyAtNextTier(view, command.roster));
      const comment = command.comment?.trim() || undefined;
      return {
        ok: true,
        events: [
          {
            type: 'escalated',
            decision: record('escalate', roles[0], comment),
            fromTier: moment.tier,
            toTier,
            dueAt: now + moment.plan.decideWithinMs,
            seated: seatsToAdd(view, toTier, command.roster),
          },
        ],
      };
    }
    case 'withdraw': {
      if (!isFlagger) return refuse('not_flagger', 'Only the person who flagged this moment can withdraw it.');
      return { ok: true, events: [{ type: 'withdrawn', decision: record('withdraw', undefined, undefined) }] };
    }
    case 'revise': {
      if (!isFlagger) return refuse('not_flagger', 'Only the person who flagged this moment can edit it.');
      // A new revision voids the approvals given so far: only a request for changes opens that door.
      if (state.status !== 'changes_requested') {
        return refuse('not_waiting_for_changes', 'Nobody asked for changes to this moment: the reviewers are deciding on the copy as it is.');
      }
      return {
        ok: true,
        events: [
          {
            type: 'revised',
            decision: { ...record('revise', undefined, undefined), revision: moment.revision + 1 },
            content: command.content,
            dueAt: now + moment.plan.decideWithinMs,
          },
        ],
      };
    }
    default:
      return assertNever(command);
  }
}

function notYours(view: MomentView, userId: string): Refusal {
  // A reviewer of a tier the moment has left (pressing their old DM) is told where it went, not that it never was theirs.
  if (leftBehind(view, userId)) {
    return refuse('stale_tier', `This moment has been escalated to ${quotedRoles(view.moment, view.moment.tier)}: they decide now. Nothing more is needed from you.`);
  }
  // Asked here, in roles they no longer hold (taken out of the group since).
  const asked = [...new Set(currentAssignments(view).filter((a) => a.userId === userId).map((a) => a.role))];
  if (asked.length > 0) {
    const quoted = asked.map((r) => `"${r}"`);
    const where = quoted.length === 1 ? `the ${quoted[0]} role` : `any of the roles you were asked in (${inWords(quoted, 'and')})`;
    return refuse('not_reviewer', `You are no longer in ${where}, so this moment is not yours to decide: nothing more is needed from you.`);
  }
  return refuse('not_reviewer', 'This one is not yours to decide: only the reviewers assigned to this moment can approve or reject it.');
}

/** A tier's roles as refusals name them ("leads", or "legal" and "comms"): from the routing file, never user text. */
function quotedRoles(moment: MomentView['moment'], tier: number): string {
  const roles = tierRoles(moment.plan, tier);
  return roles.length > 0 ? inWords(roles.map((r) => `"${r}"`), 'and') : `tier ${tier}`;
}

/** Names the later tiers' roles (from the routing file, never user text), and the flagger when they are the only one. */
function nobodyAtNextTier(view: MomentView, roster: Roster | undefined): string {
  const { moment } = view;
  const later = [...new Set(moment.plan.tiers.slice(moment.tier + 1).flatMap((tier) => Object.keys(tier.require)))];
  const laterTiers = moment.plan.tiers.map((_, tier) => tier).filter((tier) => tier > moment.tier);
  const flaggerHolds = laterTiers.some((tier) => tierReviewers(view, tier, roster).some((a) => a.userId === moment.flaggerId));
  const besides = flaggerHolds && !moment.plan.selfApproval ? ' other than its flagger, whose own approval does not count' : '';
  return (
    `Nobody it could be escalated to can decide: nobody in ${inWords(later.map((r) => `"${r}"`), 'or')} could approve this moment${besides}. ` +
    'It stays with its reviewers now.'
  );
}

/** "Already approved by <@U…>." — user ids come from the store, never from user text. */
export function finalMessage(view: MomentView): string {
  const state = view.moment.state;
  switch (state.status) {
    case 'approved':
      return `Already approved${state.by ? ` by <@${state.by}>` : ''}. Nothing more to decide.`;
    case 'rejected':
      return `Already rejected${state.by ? ` by <@${state.by}>` : ''}. Nothing more to decide.`;
    case 'expired':
      return awaitedRevision(view)
        ? 'This moment expired waiting for a new revision. Nothing more to decide.'
        : 'This moment expired before it was approved. Nothing more to decide.';
    case 'withdrawn':
      return 'The flagger withdrew this moment. Nothing more to decide.';
    case 'pending':
    case 'changes_requested':
      return 'This moment is still open.';
    default:
      return assertNever(state);
  }
}
