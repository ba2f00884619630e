import { onDeadline } from '../core/deadlines';
import type { Store } from '../store/store';
import { commitEvents, ConcurrentChange, loadView } from './moment-view';

export interface SweepResult {
  readonly due: number;
  readonly applied: number;
  readonly events: number;
}

/**
 * Applies every deadline due at `now` in one transaction (one commit for the whole sweep), each
 * deadline in a savepoint of its own: claimed (so two sweeps never apply it twice) and applied with
 * the events and notices it causes. A deadline that fails rolls back alone and is retried next sweep.
 */
export function sweepDeadlines(store: Store, now: number, limit = 500): SweepResult {
  const due = store.deadlines.due(now, limit);
  let applied = 0;
  let events = 0;
  if (due.length === 0) return { due: 0, applied, events };
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
        if (!(error instanceof ConcurrentChange)) throw error;
      }
    }
  });
  return { due: due.length, applied, events };
}
