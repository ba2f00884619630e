import { decisionOf, type MomentEvent } from '../core/events';
import { deadlineChange } from '../core/deadlines';
import { evolveView } from '../core/evolve';
import type { Assignment, DecisionRecord, Moment, MomentView } from '../core/moment';
import { changesWereRequested, eligibleRoles, rolesAwaited, waitsOn } from '../core/policy';
import type { Notice } from '../core/notice';
import { noticesFor, noticesForChange } from '../core/notices';
import type { Store } from '../store/store';
import { homePeopleOf, refreshLiveHomes } from './live-homes';

export function loadView(store: Store, momentId: number): MomentView | undefined {
  const moment = store.moments.get(momentId);
  if (!moment) return undefined;
  return { moment, assignments: store.reviews.assignments(momentId), decisions: store.reviews.decisions(momentId) };
}

/**
 * The moment holding a flagged message, which is then not flagged again: one under review or decided, or one that
 * expired after reviewers asked for changes, whether or not a revision came (they asked for the message's words to
 * change, and a revision changes only the moment's copy: the words do not go back up unrevised). A withdrawn moment, or
 * one that expired with nobody asking for changes, frees its message.
 */
export function momentHoldingSource(store: Store, channel: string, ts: string): number | undefined {
  const held = store.moments.idForSource(channel, ts);
  if (held !== undefined) return held;
  const expired = store.moments.lastExpiredForSource(channel, ts);
  const view = expired === undefined ? undefined : loadView(store, expired);
  return view && changesWereRequested(view) ? expired : undefined;
}

/** The views of the moments among `ids` that exist, by id, read in three statements however many there are. */
export function loadViews(store: Store, ids: readonly number[]): Map<number, MomentView> {
  return viewsOf(store, [...store.moments.getMany(ids).values()]);
}

/** The views of `moments`, already read: their reviewers and decisions read in two statements. */
export function viewsOf(store: Store, moments: readonly Moment[]): Map<number, MomentView> {
  const ids = moments.map((moment) => moment.id);
  return assembled(moments, store.reviews.assignmentsOfMany(ids), store.reviews.decisionsOfMany(ids));
}

/** Views of `moments` from their reviewers and decisions read by moment (none read: none). */
function assembled(
  moments: Iterable<Moment>,
  assignments: ReadonlyMap<number, readonly Assignment[]>,
  decisions: ReadonlyMap<number, readonly DecisionRecord[]>,
): Map<number, MomentView> {
  return new Map([...moments].map((moment) => [moment.id, { moment, assignments: assignments.get(moment.id) ?? [], decisions: decisions.get(moment.id) ?? [] }]));
}

/** Candidates read per page, and at most, when looking for what waits on someone (App Home is not worth more). */
const WAITING_PAGE = 50;
const WAITING_SCAN_LIMIT = 2000;

/**
 * The open moments whose decision waits on this person now, newest first: assigned at the current tier, their
 * role still open and, when `roles` is given (the directory's), still theirs (someone taken out of legal is not shown
 * the crises they were assigned), and not yet approved by them (nor flagged by them, where their own approval cannot
 * count).
 */
export function waitingOn(store: Store, userId: string, limit: number, roles?: ReadonlySet<string>): number[] {
  // The store narrows to the person's current-tier assignments, page by page (a busy reviewer's newest ones may
  // all be approved already, waiting on another role); the policy decides who is still needed.
  const waiting: number[] = [];
  let before: number | undefined;
  for (let scanned = 0; waiting.length < limit && scanned < WAITING_SCAN_LIMIT; scanned += WAITING_PAGE) {
    const page = store.reviews.waitingFor(userId, WAITING_PAGE, before);
    const views = seatViews(store, page, userId);
    for (const id of page) {
      const view = views.get(id);
      if (view && waitsOn(view, userId, roles)) waiting.push(id);
      if (waiting.length === limit) break;
    }
    if (page.length < WAITING_PAGE) break;
    before = page.at(-1);
  }
  return waiting;
}

/**
 * The roles each of `ids` waits on this person in (at its current tier, for a role the directory still gives them, with
 * a seat still open): what App Home says they are asked as.
 */
export function rolesWaitingOn(store: Store, ids: readonly number[], userId: string, roles?: ReadonlySet<string>): Map<number, string[]> {
  const views = seatViews(store, ids, userId);
  const asked = new Map<number, string[]>();
  for (const [id, view] of views) asked.set(id, rolesAwaited(view, userId, eligibleRoles(view, userId, roles)));
  return asked;
}

/**
 * The moments among `ids` with, of their seats, only those that decide whether they wait on `userId` (theirs and the
 * approvers'; a big group's moment has hundreds more), read in three statements, not three a moment.
 */
function seatViews(store: Store, ids: readonly number[], userId: string): Map<number, MomentView> {
  return assembled(store.moments.getMany(ids).values(), store.reviews.seatsOfManyFor(ids, userId), store.reviews.decisionsOfMany(ids));
}

/** Thrown inside a transaction when the moment changed since it was read; the transaction rolls back. */
export class ConcurrentChange extends Error {
  constructor(readonly momentId: number) {
    super(`moment ${momentId} changed while a decision was being recorded`);
    this.name = 'ConcurrentChange';
  }
}

/**
 * Stores what the events did to the moment: the state (compare-and-set on its version), the
 * decision log lines, the reviewers an escalation seats, the deadlines, and the notices to deliver (a fresh Home
 * for those of its people whose Home is open among them). Call inside a transaction.
 */
export function commitEvents(store: Store, view: MomentView, events: readonly MomentEvent[], now: number): MomentView {
  let current = view;
  const notices: Notice[] = [];
  for (const event of events) {
    current = evolveView(current, event);
    const { moment } = current;
    const decision = decisionOf(event);
    if (decision) store.reviews.appendDecision(moment.id, decision);
    if (event.type === 'escalated') store.reviews.assign(moment.id, event.seated);
    const change = deadlineChange(event, moment);
    if (change.cancelOpen) store.deadlines.cancelOpen(moment.id, now);
    store.deadlines.schedule(moment.id, change.schedule);
    notices.push(...noticesFor(event, current));
  }
  if (current.moment !== view.moment) {
    if (!store.moments.save(current.moment, now, view.moment)) throw new ConcurrentChange(view.moment.id);
    current = { ...current, moment: { ...current.moment, version: current.moment.version + 1 } };
  }
  store.outbox.enqueue(view.moment.id, noticesForChange(notices), now);
  // A reminder changes nothing a Home shows; every other event changes someone's lists.
  if (events.some((event) => event.type !== 'reminded' && event.type !== 'revision_reminded')) refreshLiveHomes(store, homePeopleOf(current), now);
  return current;
}
