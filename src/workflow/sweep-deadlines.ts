import { onDeadline } from '../core/deadlines';
import type { Store } from '../store/store';
import { commitEvents, ConcurrentChange, loadView } from './moment-view';

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
 * Applies every deadline due at `now` in one transaction (one commit for the whole sweep), each
 * deadline in a savepoint of its own: claimed (so two sweeps never apply it twice) and applied with
 * the events and notices it causes. A deadline that fails rolls back alone and is retried next sweep:
 * one moment whose deadline cannot be applied must not hold back every other moment's.
 */
export function sweepDeadlines(store: Store, now: number, limit = 500): SweepResult {
  const due = store.deadlines.due(now, limit);
  let applied = 0;
  let events = 0;
  const failures: DeadlineFailure[] = [];
  if (due.length === 0) return { due: 0, applied, events, failures };
  store.transaction(() => {
    for (const deadline of due) {
      try {
        store.transaction(() => {
          if (!store.deadlines.claim(deadline.id, now)) return;
          const view = loadView(store, deadline.momentId);
          if (!view) return;
          const caused = onDeadline(view, deadline, now);
          if (caused.length > 0) commitEvents(store, view, caused, now);
          applied += 1;
          events += caused.length;
        });
      } catch (error) {
        // A concurrent change (a decision landed first) is no failure: the next sweep sees the new state.
        if (!(error instanceof ConcurrentChange)) failures.push({ deadlineId: deadline.id, momentId: deadline.momentId, error: String(error) });
      }
    }
  });
  return { due: due.length, applied, events, failures };
}
