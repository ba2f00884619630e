import type { Assignment, DecisionRecord, MomentContent } from './moment';

/**
 * What happened to a moment. `decide()` returns these; `evolve()` folds them into the
 * moment; the store appends the decision records they carry and queues the notices they cause.
 */
export type MomentEvent =
  | { readonly type: 'approval_recorded'; readonly decision: DecisionRecord }
  | { readonly type: 'approved'; readonly by: string; readonly at: number }
  | { readonly type: 'rejected'; readonly decision: DecisionRecord }
  | { readonly type: 'changes_requested'; readonly decision: DecisionRecord; readonly dueAt: number }
  | {
      readonly type: 'revised';
      readonly decision: DecisionRecord;
      readonly content: MomentContent;
      readonly dueAt: number;
    }
  | {
      readonly type: 'escalated';
      readonly decision: DecisionRecord;
      readonly fromTier: number;
      readonly toTier: number;
      readonly dueAt: number;
      /** Reviewers of the new tier who joined its role since the flag: assigned now, and asked with the others. */
      readonly seated: readonly Assignment[];
    }
  | { readonly type: 'expired'; readonly decision: DecisionRecord }
  | { readonly type: 'withdrawn'; readonly decision: DecisionRecord }
  | { readonly type: 'reminded'; readonly userIds: readonly string[]; readonly tier: number; readonly at: number }
  /** The flagger's revision is still due at the reminder's time (reviewers wait on it, so they are not reminded). */
  | { readonly type: 'revision_reminded'; readonly at: number };

export type MomentEventType = MomentEvent['type'];

/** The decision log lines an event adds (reminders and the derived `approved` add none). */
export function decisionOf(event: MomentEvent): DecisionRecord | undefined {
  switch (event.type) {
    case 'approval_recorded':
    case 'rejected':
    case 'changes_requested':
    case 'revised':
    case 'escalated':
    case 'expired':
    case 'withdrawn':
      return event.decision;
    case 'approved':
    case 'reminded':
    case 'revision_reminded':
      return undefined;
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
