import { onDeadline, UNREAD_ROLE_RECHECK_MS, waitsForUnreadRoles } from '../core/deadlines';
import type { MomentEvent } from '../core/events';
import { isFinal, type MomentView } from '../core/moment';
import type { Roster } from '../core/routing';
import type { DueDeadline } from '../store/deadlines';
import type { Store } from '../store/store';
import { commitEvents, ConcurrentChange, loadView, loadViews } from './moment-view';

/** How long a deadline that could not be applied waits before it is tried again. */
export const FAILED_DEADLINE_RETRY_MS = 60_000;

export interface SweepResult {
  readonly due: number;
  readonly applied: number;
  readonly events: number;
  /** Deadlines due were left for the next sweep: the limit read, or the work budget spent. */
  readonly more: boolean;
  /** What each deadline applied did to its moment, in the order applied. */
  readonly outcomes: readonly DeadlineOutcome[];
  /**
   * Deadlines that failed for another reason than a concurrent change: rolled back alone and postponed by
   * FAILED_DEADLINE_RETRY_MS.
   */
  readonly failures: readonly DeadlineFailure[];
}

/** A sweep that found nothing due. */
export const NOTHING_DUE: SweepResult = { due: 0, applied: 0, events: 0, more: false, outcomes: [], failures: [] };

export interface DeadlineOutcome {
  readonly momentId: number;
  readonly deadline: DueDeadline['kind'];
  readonly events: readonly MomentEvent[];
}

export interface DeadlineFailure {
  readonly deadlineId: number;
  readonly momentId: number;
  readonly error: string;
}

/**
 * Applies every deadline due at `now` in one transaction (one commit for the whole sweep): each one claimed (so two
 * sweeps never apply it twice) and applied with the events and notices it causes. A deadline that fails rolls back
 * alone and is postponed a minute: one moment whose deadline cannot be applied must not hold back every other
 * moment's, nor (retried at every sweep, oldest first) fill the sweep's limit for ever.
 *
 * Isolating each deadline takes a savepoint, which cost about a tenth of a sweep of 100 escalations. So the sweep
 * first runs without them, reading every due moment at once; only when that work fails is the attempt rolled back
 * whole and the sweep run again, each deadline read and applied in a savepoint of its own. A deadline that keeps
 * failing costs one rolled-back attempt a minute, until someone mends its moment (each failure is logged).
 *
 * `roster`: who is in each role now (the directory's), so a timeout asks the next tier as it is today; without one,
 * the people assigned at the flag.
 */
export function sweepDeadlines(store: Store, now: number, roster?: Roster, limit = 500, budget: WorkBudget = workBudget(SWEEP_BUDGET_MS)): SweepResult {
  const due = store.deadlines.due(now, limit);
  if (due.length === 0) return NOTHING_DUE;
  try {
    return store.transaction(() => {
      try {
        return applyTogether(store, due, now, roster, budget, limit);
      } catch (error) {
        throw new AttemptFailed(error);
      }
    });
  } catch (error) {
    // Only the sweep's own work is retried: a database that refuses the transaction itself (held by another
    // process, closed, failing its commit) would refuse the rerun too, after blocking as long again.
    if (!(error instanceof AttemptFailed)) throw error;
    return store.transaction(() => applyIsolated(store, due, now, roster, budget, limit));
  }
}

/** What the first attempt's work threw, told apart from the database refusing the transaction around it. */
class AttemptFailed extends Error {
  constructor(readonly reason: unknown) {
    super(`deadline sweep attempt failed: ${String(reason)}`);
  }
}

/**
 * How long one sweep may work before it leaves the rest for the next: it runs on the event loop, and a sweep of
 * hundreds of reminders or escalations to a big group queues a row per reviewer (300 people × 500 deadlines: 150,000
 * rows, 2 s). `spent()` reads the time worked in ms.
 */
export interface WorkBudget {
  readonly ms: number;
  readonly spent: () => number;
}

export const SWEEP_BUDGET_MS = 100;

/** Due moments read per statement trio. */
const VIEW_PAGE = 50;

/** `ms` of work from now. */
export function workBudget(ms: number): WorkBudget {
  const started = performance.now();
  return { ms, spent: () => performance.now() - started };
}

/**
 * Every deadline in the caller's transaction, the due moments read in three statements, not three per deadline, until
 * the budget is spent (at least one is applied, so every sweep moves on).
 */
function applyTogether(store: Store, due: readonly DueDeadline[], now: number, roster: Roster | undefined, budget: WorkBudget, limit: number): SweepResult {
  const views = new Map<number, MomentView>();
  const outcomes: DeadlineOutcome[] = [];
  let taken = 0;
  for (const deadline of due) {
    if (taken > 0 && budget.spent() >= budget.ms) break;
    // The moments read a page at a time, as the sweep gets to them: a budget spent early has not read them all.
    if (taken % VIEW_PAGE === 0) {
      const ids = [...new Set(due.slice(taken, taken + VIEW_PAGE).map((d) => d.momentId))].filter((id) => !views.has(id));
      for (const [id, view] of loadViews(store, ids)) views.set(id, view);
    }
    taken += 1;
    const caused = applyDeadline(store, deadline, now, roster, views);
    if (caused !== undefined) outcomes.push({ momentId: deadline.momentId, deadline: deadline.kind, events: caused });
  }
  return resultOf(due, taken, limit, outcomes, []);
}

function resultOf(due: readonly DueDeadline[], taken: number, limit: number, outcomes: readonly DeadlineOutcome[], failures: readonly DeadlineFailure[]): SweepResult {
  const events = outcomes.reduce((sum, outcome) => sum + outcome.events.length, 0);
  return { due: due.length, applied: outcomes.length, events, more: taken < due.length || due.length >= limit, outcomes, failures };
}

/** Every deadline in a savepoint of its own, its moment read alone: what fails is rolled back and reported. */
function applyIsolated(store: Store, due: readonly DueDeadline[], now: number, roster: Roster | undefined, budget: WorkBudget, limit: number): SweepResult {
  const outcomes: DeadlineOutcome[] = [];
  const failures: DeadlineFailure[] = [];
  let taken = 0;
  for (const deadline of due) {
    // The same budget, the failed attempt's time included: at least one each sweep, so the broken one is reached.
    if (taken > 0 && budget.spent() >= budget.ms) break;
    taken += 1;
    try {
      const caused = store.transaction(() => applyDeadline(store, deadline, now, roster, undefined));
      if (caused !== undefined) outcomes.push({ momentId: deadline.momentId, deadline: deadline.kind, events: caused });
    } catch (error) {
      // A concurrent change (a decision landed first) is no failure: the next sweep sees the new state.
      if (error instanceof ConcurrentChange) continue;
      store.deadlines.postpone(deadline.id, now + FAILED_DEADLINE_RETRY_MS);
      failures.push({ deadlineId: deadline.id, momentId: deadline.momentId, error: String(error) });
    }
  }
  return resultOf(due, taken, limit, outcomes, failures);
}

/**
 * Whether a press at `now` would first close the moment's step, as catchUpDeadlines would: a timeout of its tier and
 * revision due in the store, and not waiting for a role the directory has not read (`roster`, as the press gets it),
 * which leaves the tier deciding.
 */
export function stepTimedOut(store: Store, view: MomentView, now: number, roster: Roster | undefined): boolean {
  const { moment } = view;
  if (isFinal(moment.state.status) || moment.dueAt > now) return false;
  return store.deadlines
    .dueFor(moment.id, now)
    .some((d) => d.kind === 'timeout' && d.tier === moment.tier && d.revision === moment.revision && !waitsForUnreadRoles(view, d, now, roster));
}

/**
 * Applies, in the caller's transaction, the deadlines of one moment that fell due before any sweep applied them: a
 * person acting on the moment then acts on it as the sweep would have left it (a tier whose window closed has
 * escalated, and its late presses are refused). Whether any was applied.
 */
export function catchUpDeadlines(store: Store, momentId: number, now: number, roster: Roster | undefined): boolean {
  let applied = false;
  for (const deadline of store.deadlines.dueFor(momentId, now)) {
    if (applyDeadline(store, deadline, now, roster, undefined) !== undefined) applied = true;
  }
  return applied;
}

/**
 * Claims and applies one deadline; the events it caused, or undefined when it was not applied (claimed
 * already, its moment gone, or waiting for a role the directory has not read). `views`: moments read beforehand; one this deadline changes is dropped from it,
 * so the moment's next deadline reads what was written.
 */
function applyDeadline(
  store: Store,
  deadline: DueDeadline,
  now: number,
  roster: Roster | undefined,
  views: Map<number, MomentView> | undefined,
): MomentEvent[] | undefined {
  const view = views?.get(deadline.momentId) ?? loadView(store, deadline.momentId);
  // Looked at again a few seconds on (a later sweep applies it once the directory has read the roles it depends on);
  // put off, not left due, so waiting deadlines never fill a sweep's reads ahead of the others.
  if (view && waitsForUnreadRoles(view, deadline, now, roster)) {
    store.deadlines.postpone(deadline.id, now + UNREAD_ROLE_RECHECK_MS);
    return undefined;
  }
  if (!store.deadlines.claim(deadline.id, now) || !view) return undefined;
  const caused = onDeadline(view, deadline, now, roster);
  if (caused.length > 0) {
    views?.delete(deadline.momentId);
    commitEvents(store, view, caused, now);
  }
  return caused;
}
