import { assertNever, type MomentEvent } from './events';
import type { Moment, MomentView } from './moment';
import { isFinal, tierRoles } from './moment';
import { nextDecidingTier, staffingOf, undecidedReviewers } from './policy';
import { seatsToAdd, tierReviewers, type Roster } from './routing';

export type DeadlineKind = 'remind' | 'timeout';

/** A deadline belongs to one tier of one revision; a newer tier or revision makes it moot. */
export interface DeadlineSpec {
  readonly kind: DeadlineKind;
  readonly tier: number;
  readonly revision: number;
  readonly dueAt: number;
}

export interface DeadlineChange {
  /** Close every open deadline of the moment before scheduling the new ones. */
  readonly cancelOpen: boolean;
  readonly schedule: readonly DeadlineSpec[];
}

/** Remind at a fraction of the window, time out at its end. */
export function tierDeadlines(moment: Moment, startedAt: number): DeadlineSpec[] {
  const { decideWithinMs, remindAtFraction } = moment.plan;
  return [
    { kind: 'remind', tier: moment.tier, revision: moment.revision, dueAt: startedAt + Math.round(decideWithinMs * remindAtFraction) },
    { kind: 'timeout', tier: moment.tier, revision: moment.revision, dueAt: moment.dueAt },
  ];
}

/** What an event does to the moment's deadlines; `after` is the moment with the event applied. */
export function deadlineChange(event: MomentEvent, after: Moment): DeadlineChange {
  const none: DeadlineChange = { cancelOpen: false, schedule: [] };
  switch (event.type) {
    case 'approval_recorded':
    case 'reminded':
    case 'revision_reminded':
      return none;
    case 'approved':
    case 'rejected':
    case 'expired':
    case 'withdrawn':
      return { cancelOpen: true, schedule: [] };
    case 'changes_requested':
      // The flagger gets one window to send a new revision, and its reminder; reviewers are not reminded meanwhile.
      return { cancelOpen: true, schedule: tierDeadlines(after, event.decision.at) };
    case 'revised':
      return { cancelOpen: true, schedule: tierDeadlines(after, event.decision.at) };
    case 'escalated':
      return { cancelOpen: true, schedule: tierDeadlines(after, event.decision.at) };
    default:
      return assertNever(event);
  }
}

/**
 * How long after the start a due deadline waits for a user group the directory has not read yet (Slack not answering
 * for it since the start): past this, it is applied with the people assigned at the flag.
 */
export const UNREAD_ROLE_WAIT_MS = 2 * 60_000;

/** How often a deadline waiting for an unread role is looked at again: about the scanner's own interval. */
export const UNREAD_ROLE_RECHECK_MS = 5_000;

/**
 * Whether a due deadline waits, at `now`, for roles `roster` has not read yet: a reminder whose tier has one (it would
 * go to whoever was in the role at the flag, someone who may have left it since), or a timeout whose escalation would
 * reach one before a tier that can decide (it would ask the people of the flag, not those in the role now, and nobody
 * asks the newcomers later). Until `roster.unreadWaitUntil` (the start plus UNREAD_ROLE_WAIT_MS, however long Greenlight
 * was stopped): a user group Slack keeps failing must not hold the moment for ever. The tier that has the moment keeps
 * it meanwhile.
 */
export function waitsForUnreadRoles(view: MomentView, deadline: DeadlineSpec, now: number, roster: Roster | undefined): boolean {
  const { moment } = view;
  if (roster === undefined || roster.unread.size === 0 || roster.unreadWaitUntil === undefined || now >= roster.unreadWaitUntil) return false;
  if (moment.state.status !== 'pending' || deadline.tier !== moment.tier || deadline.revision !== moment.revision) return false;
  const unread = (tier: number) => tierRoles(moment.plan, tier).some((role) => roster.unread.has(role));
  if (deadline.kind === 'remind') return unread(moment.tier);
  for (let tier = moment.tier + 1; tier < moment.plan.tiers.length; tier += 1) {
    if (unread(tier)) return true;
    if (staffingOf(moment.plan, tierReviewers(view, tier, roster), moment.flaggerId, tier).short.length === 0) return false;
  }
  return false;
}

/**
 * What a due deadline causes at `now`: a reminder to those who have not decided, the next tier
 * someone can decide in, or expiry when no such tier is left. A deadline of an older tier or
 * revision, or of a closed moment, causes nothing. `roster`: who is in each role now, so an escalation asks the next
 * tier as it is today (without it, as it was at the flag).
 */
export function onDeadline(view: MomentView, deadline: DeadlineSpec, now: number, roster?: Roster): MomentEvent[] {
  const { moment } = view;
  if (isFinal(moment.state.status)) return [];
  if (deadline.tier !== moment.tier || deadline.revision !== moment.revision) return [];
  if (deadline.kind === 'remind') {
    // Overdue with the tier's timeout (Greenlight was down past both): the timeout decides, a reminder would only
    // arrive beside the escalation it announces.
    if (now >= moment.dueAt) return [];
    if (moment.state.status === 'changes_requested') return [{ type: 'revision_reminded', at: now }];
    if (moment.state.status !== 'pending') return [];
    const userIds = undecidedReviewers(view);
    return userIds.length === 0 ? [] : [{ type: 'reminded', userIds, tier: moment.tier, at: now }];
  }
  const decision = {
    userId: undefined,
    role: undefined,
    action: 'timeout' as const,
    comment: undefined,
    revision: moment.revision,
    tier: moment.tier,
    at: now,
  };
  // A tier where nobody can decide is skipped: entering it would ping nobody and wait out a whole window.
  const toTier = moment.state.status === 'pending' ? nextDecidingTier(view, roster) : undefined;
  if (toTier !== undefined) {
    const seated = seatsToAdd(view, toTier, roster);
    return [{ type: 'escalated', decision, fromTier: moment.tier, toTier, dueAt: now + moment.plan.decideWithinMs, seated }];
  }
  return [{ type: 'expired', decision }];
}
