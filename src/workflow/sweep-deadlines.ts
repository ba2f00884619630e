import { onDeadline } from '../core/deadlines';
import type { Store } from '../store/store';
import { commitEvents, loadView } from './moment-view';

export interface SweepResult {
  readonly due: number;
  readonly applied: number;
  readonly events: number;
}

/**
 * Applies every deadline due at `now`: each one claimed (so two sweeps never apply it twice) and
 * applied in its own transaction with the events and notices it causes.
 */
export function sweepDeadlines(store: Store, now: number, limit = 500): SweepResult {
  const due = store.deadlines.due(now, limit);
  let applied = 0;
  let events = 0;
  for (const deadline of due) {
    store.transaction(() => {
      if (!store.deadlines.claim(deadline.id, now)) return;
      const view = loadView(store, deadline.momentId);
      if (!view) return;
      const caused = onDeadline(view, deadline, now);
      if (caused.length > 0) commitEvents(store, view, caused, now);
      applied += 1;
      events += caused.length;
    });
  }
  return { due: due.length, applied, events };
}
