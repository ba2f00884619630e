import { assertNever, decisionOf, type MomentEvent } from './events';
import type { Moment, MomentView } from './moment';

/** Folds one event into the moment. Pure; the store persists the result. */
export function evolve(moment: Moment, event: MomentEvent): Moment {
  switch (event.type) {
    case 'approval_recorded':
    case 'reminded':
    case 'revision_reminded':
      return moment;
    case 'approved':
      return { ...moment, state: { status: 'approved', by: event.by, comment: undefined, at: event.at } };
    case 'rejected':
      return { ...moment, state: closed('rejected', event.decision.userId, event.decision.comment, event.decision.at) };
    case 'expired':
      return { ...moment, state: closed('expired', undefined, undefined, event.decision.at) };
    case 'withdrawn':
      return { ...moment, state: closed('withdrawn', event.decision.userId, undefined, event.decision.at) };
    case 'changes_requested':
      return {
        ...moment,
        state: { status: 'changes_requested', by: event.decision.userId ?? '', comment: event.decision.comment ?? '' },
        dueAt: event.dueAt,
      };
    case 'revised':
      return { ...moment, content: event.content, revision: event.decision.revision, state: { status: 'pending' }, dueAt: event.dueAt };
    case 'escalated':
      return { ...moment, tier: event.toTier, state: { status: 'pending' }, dueAt: event.dueAt };
    default:
      return assertNever(event);
  }
}

/** Folds one event into what is known of the moment: its state, the decision log line, the reviewers it seats. */
export function evolveView(view: MomentView, event: MomentEvent): MomentView {
  const decision = decisionOf(event);
  const seated = event.type === 'escalated' ? event.seated : [];
  return {
    moment: evolve(view.moment, event),
    assignments: seated.length > 0 ? [...view.assignments, ...seated] : view.assignments,
    decisions: decision ? [...view.decisions, decision] : view.decisions,
  };
}

export function evolveAll(moment: Moment, events: readonly MomentEvent[]): Moment {
  return events.reduce(evolve, moment);
}

function closed(
  status: 'rejected' | 'expired' | 'withdrawn',
  by: string | undefined,
  comment: string | undefined,
  at: number,
): Moment['state'] {
  return { status, by, comment, at };
}
