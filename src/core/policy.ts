import { approvalCanCount, isFinal, type Assignment, type DecisionRecord, type Moment, type MomentView, type ReviewPlan } from './moment';
import { rosterHolds, seatKey, tierReviewers, type Roster } from './routing';
import { fillSeats, type Candidate, type Seating } from './seats';

/** Approvals that count now: current revision, current tier, one per person. */
export function countingApprovals(view: MomentView): DecisionRecord[] {
  const { moment } = view;
  const seen = new Set<string>();
  const result: DecisionRecord[] = [];
  for (const d of view.decisions) {
    if (d.action !== 'approve' || d.revision !== moment.revision || d.tier !== moment.tier) continue;
    if (d.userId === undefined || seen.has(d.userId)) continue;
    seen.add(d.userId);
    result.push(d);
  }
  return result;
}

/**
 * Role -> approvers filling its seats, for the current tier's requirement. Approvers are matched
 * to seats (a person fills at most one seat, only in a role they are assigned), so the count does
 * not depend on who pressed first: a person holding comms and legal fills whichever the others leave.
 */
export function approvalsByRole(view: MomentView): Map<string, string[]> {
  return fillSeats(currentRequirement(view), approverCandidates(view)).byRole;
}

/**
 * Who has approved, each with the roles their approval may fill: those they held at the current tier when pressing
 * (heldRoles), or, for an approval recorded before that was kept, every role they are assigned there.
 */
function approverCandidates(view: MomentView): Candidate[] {
  const assigned = assignedRoles(view.assignments, view.moment.tier);
  return countingApprovals(view).flatMap((d): Candidate[] => (d.userId === undefined ? [] : [[d.userId, d.heldRoles ?? assigned.get(d.userId) ?? []]]));
}

/** How many seats `approvers` (approverCandidates) fill together with `more` (people who might still approve). */
function seatsFilled(view: MomentView, approvers: readonly Candidate[], more: readonly Candidate[]): number {
  const byRole = fillSeats(currentRequirement(view), [...approvers, ...more]).byRole;
  return [...byRole.values()].reduce((sum, people) => sum + people.length, 0);
}

/**
 * Whether the people assigned to `tier` could fill all its seats, by the same matching as approvals:
 * the flagger left out unless self-approval counts. `short` is empty when they could.
 */
export function staffingOf(plan: ReviewPlan, assignments: readonly Assignment[], flaggerId: string, tier: number): Seating {
  const able = [...assignedRoles(assignments, tier)].filter(([userId]) => approvalCanCount(plan, flaggerId, userId));
  return fillSeats(plan.tiers[tier]?.require ?? {}, able);
}

/**
 * The first tier after the current one whose reviewers can decide, or undefined when none is left: escalating to a
 * tier of nobody (an empty user group, only the flagger) would only wait out its window. `roster`: the roles' members
 * now (see tierReviewers); without it, the people assigned at the flag.
 */
export function nextDecidingTier(view: MomentView, roster?: Roster): number | undefined {
  const { plan, flaggerId } = view.moment;
  for (let tier = view.moment.tier + 1; tier < plan.tiers.length; tier += 1) {
    if (staffingOf(plan, tierReviewers(view, tier, roster), flaggerId, tier).short.length === 0) return tier;
  }
  return undefined;
}

/**
 * Whether the moment waits for `userId`'s decision now: it is pending and they are among its undecided reviewers,
 * counting only the roles `roles` gives them (the directory's; every assigned one when undefined).
 */
export function waitsOn(view: MomentView, userId: string, roles: ReadonlySet<string> | undefined): boolean {
  if (view.moment.state.status !== 'pending') return false;
  const { plan, flaggerId } = view.moment;
  if (!approvalCanCount(plan, flaggerId, userId) || countingApprovals(view).some((d) => d.userId === userId)) return false;
  // Their seats only, as undecidedReviewers would weigh them (each seat on its own against the approvals): the others'
  // are no answer about this person, and a big group's moment has hundreds.
  const seats = currentAssignments(view).filter((a) => a.userId === userId && (roles === undefined || roles.has(a.role)));
  return seats.length > 0 && seatsThatWouldFill(view, seats).length > 0;
}

/**
 * Of `roles`, those whose seats still wait on `userId`: someone in comms and legal is awaited in legal alone once
 * another filled comms (the card lists them there only).
 */
export function rolesAwaited(view: MomentView, userId: string, roles: readonly string[]): string[] {
  return roles.filter((role) => waitsOn(view, userId, new Set([role])));
}

/**
 * The request for changes made on the moment's current revision, if any (the latest): a revision starts a new
 * number, so a request on this one means no revision followed it.
 */
export function requestOnCurrentRevision(view: MomentView): DecisionRecord | undefined {
  return view.decisions.filter((d) => d.action === 'request_changes' && d.revision === view.moment.revision).at(-1);
}

/**
 * Whether the moment waits, or last waited, for its flagger's new revision. A moment that then expired expired
 * waiting for the flagger, not for a decision.
 */
export function awaitedRevision(view: MomentView): boolean {
  return requestOnCurrentRevision(view) !== undefined;
}

/**
 * Whether reviewers ever asked for the moment's words to change, at any revision: a revision changes the moment's copy,
 * never the message it was flagged from, whose words are still the ones they asked to change.
 */
export function changesWereRequested(view: MomentView): boolean {
  return view.decisions.some((d) => d.action === 'request_changes');
}

/**
 * Whether something asked about a tier or revision (a reviewer's DM, a reminder) is about one the moment has left since:
 * whoever decides now is asked anew. What does not say (queued before it could) has not.
 */
export function movedOn(view: MomentView, asked: { readonly tier?: number; readonly revision?: number }): boolean {
  return (asked.tier !== undefined && asked.tier !== view.moment.tier) || (asked.revision !== undefined && asked.revision !== view.moment.revision);
}

/** Whether a request for changes made on `askedOn` still waits for its revision: nothing has answered it yet. */
export function requestOpen(view: MomentView, askedOn: number): boolean {
  return view.moment.state.status === 'changes_requested' && view.moment.revision === askedOn;
}

/**
 * Whether `userId` was asked at a tier the moment has since left and is not asked at its tier now: the reviewers there
 * decide, and a press of theirs is refused.
 */
export function leftBehind(view: MomentView, userId: string): boolean {
  const tier = view.moment.tier;
  const mine = view.assignments.filter((a) => a.userId === userId);
  return mine.some((a) => a.tier < tier) && !mine.some((a) => a.tier === tier);
}

/**
 * The current tier's assigned seats (seatKey) the moment waits on: their person has not approved, their approval can
 * count (not the flagger's without self-approval), and `roster` still has them in the role (see tierReviewers, the
 * rule escalation uses). What the card lists as awaited while the moment is open.
 */
export function awaitedSeats(view: MomentView, roster: Roster | undefined): Set<string> {
  const deciding = new Set(tierReviewers(view, view.moment.tier, roster).map(seatKey));
  const approved = new Set(countingApprovals(view).map((d) => d.userId));
  const { plan, flaggerId } = view.moment;
  const awaited = currentAssignments(view).filter((a) => !approved.has(a.userId) && approvalCanCount(plan, flaggerId, a.userId) && deciding.has(seatKey(a)));
  return new Set(awaited.map(seatKey));
}

/**
 * Roles of the current tier that can no longer get the approvals they still need: fewer people left in them who have
 * not approved (awaitedSeats: someone left the role, a user group emptied) than approvals missing. The moment then
 * waits for its deadline unless someone escalates it (nobody who joins the role later is asked), and the card says
 * so. Empty unless pending.
 */
export function rolesLeftShort(view: MomentView, roster: Roster | undefined, awaited = awaitedSeats(view, roster)): string[] {
  if (view.moment.state.status !== 'pending') return [];
  const rolesOf = assignedRoles(currentAssignments(view).filter((a) => awaited.has(seatKey(a))), view.moment.tier);
  // One matching of those who approved and those awaited: someone who approved for comms but also holds legal moves
  // to legal if another comms reviewer is left, so legal is short only when no arrangement fills it.
  return fillSeats(currentRequirement(view), [...approverCandidates(view), ...rolesOf]).short;
}

/**
 * Whether a moment's card reads differently under `after` than under `before` (the directory's roster before and
 * after a user group changed). While it is open, the card lists the awaited seats (awaitedSeats) and offers Escalate
 * to the next tier that can decide. A closed card reads no roster.
 */
export function cardChangesWithRoster(view: MomentView, before: Roster, after: Roster): boolean {
  if (isFinal(view.moment.state.status)) return false;
  const was = awaitedSeats(view, before);
  const now = awaitedSeats(view, after);
  if (was.size !== now.size || [...was].some((seat) => !now.has(seat))) return true;
  return view.moment.state.status === 'pending' && nextDecidingTier(view, before) !== nextDecidingTier(view, after);
}

/**
 * Who of the current tier's reviewers gets a DM that reads differently under `after` than under `before`: someone who
 * lost (or regained) a role they are asked in, whose DM names the roles they decide for (and whose buttons go, or come
 * back, with the last of them); and, when Escalate appears or goes, everyone whose DM has buttons. A closed moment's
 * DMs read no roster.
 */
export function reviewDmsChangingWithRoster(view: MomentView, before: Roster, after: Roster): string[] {
  if (isFinal(view.moment.state.status)) return [];
  // Someone asked only at an earlier tier: their DM shows the moment while they hold one of the roles they were asked
  // in, and nothing of it once they hold none (leftTheirRoles).
  const earlier = earlierReviewersLeaving(view, before, after);
  const escalate = view.moment.state.status === 'pending' && nextDecidingTier(view, before) !== nextDecidingTier(view, after);
  // Each reviewer's roles in requirement order, as eligibleRoles lists them, read once for all (a big group's moment
  // has hundreds of reviewers).
  const assigned = assignedRoles(currentAssignments(view), view.moment.tier);
  const heldBefore = rosterHolds(before);
  const heldAfter = rosterHolds(after);
  // The roles are named only while the moment waits for a decision (changes asked: "is revising it").
  const named = view.moment.state.status === 'pending';
  return [...assigned.keys()].sort().filter((userId) => {
    const roles = assigned.get(userId) ?? [];
    const held = roles.filter((role) => heldBefore(userId, role));
    const holds = roles.filter((role) => heldAfter(userId, role));
    const differ = named ? held.join('\n') !== holds.join('\n') : held.length > 0 !== holds.length > 0;
    return differ || (escalate && holds.length > 0);
  }).concat(earlier);
}

/**
 * Reviewers of the current tier who held none of the roles they are asked in under `before` and hold one under `after`
 * (a user group, or a routing file with a typo, corrected): their DM said the moment was no longer theirs. Empty unless
 * pending.
 */
export function reviewersBackInRole(view: MomentView, before: Roster, after: Roster): string[] {
  return currentReviewersWhere(view, before, after, (held, holds) => !held.some(Boolean) && holds.some(Boolean));
}

/**
 * Reviewers of the current tier who hold, under `after`, a role they are asked in that they did not hold under
 * `before` (held another all along, or none): only then can a role left short have enough people again. Empty unless
 * pending.
 */
export function reviewersRegainingARole(view: MomentView, before: Roster, after: Roster): string[] {
  return currentReviewersWhere(view, before, after, (held, holds) => holds.some((holding, i) => holding && !held[i]));
}

/** The current tier's reviewers whose holding of each role they are asked in, before and after (in one order), passes. */
function currentReviewersWhere(view: MomentView, before: Roster, after: Roster, passes: (held: boolean[], holds: boolean[]) => boolean): string[] {
  if (view.moment.state.status !== 'pending') return [];
  const heldBefore = rosterHolds(before);
  const heldAfter = rosterHolds(after);
  return [...assignedRoles(currentAssignments(view), view.moment.tier)]
    .filter(([userId, roles]) => passes(roles.map((role) => heldBefore(userId, role)), roles.map((role) => heldAfter(userId, role))))
    .map(([userId]) => userId)
    .sort();
}

/** Reviewers asked at earlier tiers only, who hold one of those roles under one roster and none under the other. */
function earlierReviewersLeaving(view: MomentView, before: Roster, after: Roster): string[] {
  const { tier } = view.moment;
  if (tier === 0) return [];
  const current = new Set(view.assignments.filter((a) => a.tier === tier).map((a) => a.userId));
  const asked = new Map<string, string[]>();
  for (const a of view.assignments) if (a.tier < tier && !current.has(a.userId)) asked.set(a.userId, [...(asked.get(a.userId) ?? []), a.role]);
  const heldBefore = rosterHolds(before);
  const heldAfter = rosterHolds(after);
  return [...asked.keys()].sort().filter((userId) => {
    const roles = asked.get(userId) ?? [];
    return roles.some((role) => heldBefore(userId, role)) !== roles.some((role) => heldAfter(userId, role));
  });
}

/**
 * Whether `userId` was asked in roles, at the moment's tiers so far, of which the directory gives them none now: taken
 * out of every role they reviewed it in, the moment is no longer theirs to read. `currentRoles` undefined: not known,
 * false.
 */
export function leftTheirRoles(view: MomentView, userId: string, currentRoles: ReadonlySet<string> | undefined): boolean {
  if (currentRoles === undefined) return false;
  const asked = view.assignments.filter((a) => a.userId === userId && a.tier <= view.moment.tier);
  return asked.length > 0 && !asked.some((a) => currentRoles.has(a.role));
}

/**
 * Whether a change between two rosters can touch how a moment reads: it names one of the changed roles at any of its
 * tiers (an earlier tier's too: someone asked there who leaves every role they were asked in sees nothing more of it;
 * a closed moment reads no roster). Most group changes concern few of the open moments.
 */
export function rosterChangeConcerns(moment: Moment, changed: ReadonlySet<string>): boolean {
  if (isFinal(moment.state.status)) return false;
  return moment.plan.tiers.some((t) => Object.keys(t.require).some((role) => changed.has(role)));
}

/** A tier's roles per person. */
export function assignedRoles(assignments: readonly Assignment[], tier: number): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const a of assignments) if (a.tier === tier) roles.set(a.userId, [...(roles.get(a.userId) ?? []), a.role]);
  return roles;
}

export function currentRequirement(view: MomentView): Readonly<Record<string, number>> {
  return view.moment.plan.tiers[view.moment.tier]?.require ?? {};
}

export function isRequirementMet(view: MomentView): boolean {
  const byRole = approvalsByRole(view);
  return Object.entries(currentRequirement(view)).every(([role, needed]) => (byRole.get(role)?.length ?? 0) >= needed);
}

/** Assignments of the current tier, in requirement order. */
export function currentAssignments(view: MomentView): Assignment[] {
  const order = Object.keys(currentRequirement(view));
  return view.assignments
    .filter((a) => a.tier === view.moment.tier)
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

/**
 * Roles in which `userId` may decide now: assigned at the current tier and, when the
 * directory knows the person's roles, still a member of that role (someone removed from a
 * role after the ping can no longer decide).
 */
export function eligibleRoles(view: MomentView, userId: string, currentRoles: ReadonlySet<string> | undefined): string[] {
  const roles: string[] = [];
  for (const a of currentAssignments(view)) {
    if (a.userId !== userId) continue;
    if (currentRoles !== undefined && !currentRoles.has(a.role)) continue;
    if (!roles.includes(a.role)) roles.push(a.role);
  }
  return roles;
}

/**
 * Whether `userId` still holds a role they are assigned for at the moment's current tier, the one a review DM asks
 * them to decide in: someone in comms and in the leads who left the leads is not asked when the moment reaches the
 * leads. `currentRoles` undefined: the directory does not know, and the stored assignment is trusted.
 */
export function holdsCurrentTierRole(view: MomentView, userId: string, currentRoles: ReadonlySet<string> | undefined): boolean {
  return currentAssignments(view).some((a) => a.userId === userId && (currentRoles === undefined || currentRoles.has(a.role)));
}

/**
 * The role an approval is recorded under: the seat the matching gives the person once their
 * approval is counted, else the first of their roles.
 */
export function roleForApproval(view: MomentView, userId: string, roles: readonly string[]): string {
  for (const [role, users] of approvalsByRole(view)) if (users.includes(userId) && roles.includes(role)) return role;
  return roles[0] ?? '';
}

/**
 * The current tier's seats (seatKey) whose person's approval, in that role, would fill one more seat: those the card
 * lists as awaited. Per seat, not per person: bea in comms and legal, with comms filled, is awaited in legal only.
 * `awaited`: the seats that may still decide (awaitedSeats).
 */
export function seatsStillNeeded(view: MomentView, awaited: ReadonlySet<string>): Set<string> {
  return new Set(seatsThatWouldFill(view, currentAssignments(view).filter((a) => awaited.has(seatKey(a)))).map(seatKey));
}

/**
 * Of `seats` (current-tier assignments), those whose person's approval in that role would fill one more seat, approvers
 * moving over to make room (cal approved for comms but also holds legal: bea's comms approval still completes the
 * moment). A person fills one more seat in some role exactly when one of their seats does (an augmenting path starts
 * with one of their roles), so this answers per person too.
 */
function seatsThatWouldFill(view: MomentView, seats: readonly Assignment[]): Assignment[] {
  const approvers = approverCandidates(view);
  const filledNow = seatsFilled(view, approvers, []);
  return seats.filter((a) => seatsFilled(view, approvers, [[a.userId, [a.role]]]) > filledNow);
}

/**
 * Reviewers of the current tier who have not approved the current revision and hold a role still
 * short of approvals (the flagger excluded unless self-approval counts). `holds`: whether a person still
 * holds an assigned role (the directory's word; by default every stored assignment is trusted).
 */
export function undecidedReviewers(view: MomentView, holds: (userId: string, role: string) => boolean = () => true): string[] {
  const approved = new Set(countingApprovals(view).map((d) => d.userId));
  const { plan, flaggerId } = view.moment;
  const undecided = currentAssignments(view).filter((a) => !approved.has(a.userId) && approvalCanCount(plan, flaggerId, a.userId) && holds(a.userId, a.role));
  // Awaited: those whose approval would fill one more seat (see seatsThatWouldFill), each once, in assignment order.
  const needed = new Set(seatsThatWouldFill(view, undecided).map((a) => a.userId));
  return [...new Set(undecided.map((a) => a.userId))].filter((userId) => needed.has(userId));
}
