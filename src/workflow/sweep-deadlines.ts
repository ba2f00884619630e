import { onDeadline } from '../core/deadlines';
import type { MomentView } from '../core/moment';
import type { DueDeadline } from '../store/deadlines';
import type { Store } from '../store/store';
import { commitEvents, ConcurrentChange, loadView, loadViews } from './moment-view';

export interface SweepResult {
  readonly due: number;
  readonly applied: number;
  readonly events: number;
  /** Deadlines that failed for another reason than a concurrent change: rolled back alone, retried next sweep. */
  readonly failures: readonly DeadlineFailure[];
}

export interface DeadlineFailure {
  readonly deadlineId: number;
  readonly momentId: number;
  readonly error: string;
}

/**
 * Applies every deadline due at `now` in one transaction (one commit for the whole sweep): each one claimed (so two
 * sweeps never apply it twice) and applied with the events and notices it causes. A deadline that fails rolls back
 * alone and is retried next sweep: one moment whose deadline cannot be applied must not hold back every other
 * moment's.
 *
 * Isolating each deadline takes a savepoint, which cost about a tenth of a sweep of 100 escalations. So the sweep
 * first runs without them; only when a deadline fails is that attempt rolled back whole and the sweep run again,
 * each deadline in a savepoint of its own.
 */
export function sweepDeadlines(store: Store, now: number, limit = 500): SweepResult {
  const due = store.deadlines.due(now, limit);
  if (due.length === 0) return { due: 0, applied: 0, events: 0, failures: [] };
  try {
    return store.transaction(() => applyDue(store, due, now, false));
  } catch {
    return store.transaction(() => applyDue(store, due, now, true));
  }
}

/** Without `isolate`, the first deadline that throws aborts the whole sweep (its caller's transaction rolls back). */
function applyDue(store: Store, due: readonly DueDeadline[], now: number, isolate: boolean): SweepResult {
  let applied = 0;
  let events = 0;
  const failures: DeadlineFailure[] = [];
  // Every due moment read at once (three statements, not three per deadline). A moment this sweep changes is read
  // again from the store for its next deadline (a reminder and a timeout both overdue after a stop). Isolated, each
  // moment is read on its own: one row that cannot be read must fail its own deadline, not the batch.
  const views = isolate ? new Map<number, MomentView>() : loadViews(store, [...new Set(due.map((d) => d.momentId))]);
  const apply = (deadline: DueDeadline): void => {
    if (!store.deadlines.claim(deadline.id, now)) return;
    const read = views.get(deadline.momentId);
    views.delete(deadline.momentId);
    const view = read ?? loadView(store, deadline.momentId);
    if (!view) return;
    const caused = onDeadline(view, deadline, now);
    if (caused.length > 0) commitEvents(store, view, caused, now);
    applied += 1;
    events += caused.length;
  };
  for (const deadline of due) {
    if (!isolate) {
      apply(deadline);
      continue;
    }
    try {
      store.transaction(() => apply(deadline));
    } catch (error) {
      // A concurrent change (a decision landed first) is no failure: the next sweep sees the new state.
      if (!(error instanceof ConcurrentChange)) failures.push({ deadlineId: deadline.id, momentId: deadline.momentId, error: String(error) });
    }
  }
  return { due: due.length, applied, events, failures };
}
