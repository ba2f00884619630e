import { decisionOf, type MomentEvent } from '../core/events';
import { deadlineChange } from '../core/deadlines';
import { evolve } from '../core/evolve';
import type { MomentView } from '../core/moment';
import { noticesFor, noticesForChange, type Notice } from '../core/notices';
import type { Store } from '../store/store';

export function loadView(store: Store, momentId: number): MomentView | undefined {
  const moment = store.moments.get(momentId);
  if (!moment) return undefined;
  return { moment, assignments: store.reviews.assignments(momentId), decisions: store.reviews.decisions(momentId) };
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
 * decision log lines, the deadlines, and the notices to deliver. Call inside a transaction.
 */
export function commitEvents(store: Store, view: MomentView, events: readonly MomentEvent[], now: number): MomentView {
  let current = view;
  const notices: Notice[] = [];
  for (const event of events) {
    const decision = decisionOf(event);
    const moment = evolve(current.moment, event);
    current = { ...current, moment, decisions: decision ? [...current.decisions, decision] : current.decisions };
    if (decision) store.reviews.appendDecision(moment.id, decision);
    const change = deadlineChange(event, moment);
    if (change.cancelOpen) store.deadlines.cancelOpen(moment.id, now);
    store.deadlines.schedule(moment.id, change.schedule);
    notices.push(...noticesFor(event, current));
  }
  if (current.moment !== view.moment) {
    if (!store.moments.save(current.moment, now)) throw new ConcurrentChange(view.moment.id);
    current = { ...current, moment: { ...current.moment, version: current.moment.version + 1 } };
  }
  store.outbox.enqueue(view.moment.id, noticesForChange(notices), now);
  return current;
}
