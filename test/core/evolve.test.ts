import { decisionOf, type MomentEvent } from '../../src/core/events';
import { evolve, evolveAll } from '../../src/core/evolve';
import type { DecisionRecord } from '../../src/core/moment';
import { CONTENT, CRISIS, flagged, MINUTE, PEOPLE, T0 } from './fixtures';

const moment = flagged(CRISIS).moment;
const by = (userId: string | undefined, action: DecisionRecord['action'], comment?: string): DecisionRecord => ({
  userId,
  role: userId ? 'comms' : undefined,
  action,
  comment,
  revision: 1,
  tier: 0,
  at: T0 + MINUTE,
});

describe('evolve', () => {
  test('an approval that does not close the moment and a reminder change nothing', () => {
    // given a pending moment; when an approval is recorded or a reminder sent; then it is the same moment
    expect(evolve(moment, { type: 'approval_recorded', decision: by(PEOPLE.cal, 'approve') })).toBe(moment);
    expect(evolve(moment, { type: 'reminded', userIds: [PEOPLE.cal], tier: 0, at: T0 })).toBe(moment);
  });

  test('each closing event sets its final state with who, why and when', () => {
    // given a pending moment; when each closing event is applied; then the state says who closed it and when
    const states = [
      evolve(moment, { type: 'approved', by: PEOPLE.leo, at: T0 + 1 }).state,
      evolve(moment, { type: 'rejected', decision: by(PEOPLE.cal, 'reject', 'No') }).state,
      evolve(moment, { type: 'expired', decision: by(undefined, 'timeout') }).state,
      evolve(moment, { type: 'withdrawn', decision: by(PEOPLE.flagger, 'withdraw') }).state,
    ];
    expect(states).toEqual([
      { status: 'approved', by: PEOPLE.leo, comment: undefined, at: T0 + 1 },
      { status: 'rejected', by: PEOPLE.cal, comment: 'No', at: T0 + MINUTE },
      { status: 'expired', by: undefined, comment: undefined, at: T0 + MINUTE },
      { status: 'withdrawn', by: PEOPLE.flagger, comment: undefined, at: T0 + MINUTE },
    ]);
  });

  test('changes requested, then a revision, then an escalation move tier, revision and due time', () => {
    // given a pending crisis moment
    const newContent = { ...CONTENT, title: 'New title' };
    const events: MomentEvent[] = [
      { type: 'changes_requested', decision: by(PEOPLE.cal, 'request_changes', 'Shorter'), dueAt: T0 + 20 * MINUTE },
      { type: 'revised', decision: { ...by(PEOPLE.flagger, 'revise'), revision: 2 }, content: newContent, dueAt: T0 + 30 * MINUTE },
      { type: 'escalated', decision: by(PEOPLE.cal, 'escalate'), fromTier: 0, toTier: 1, dueAt: T0 + 40 * MINUTE, seated: [] },
    ];
    // when each is applied in turn
    const afterAsk = evolve(moment, events[0]!);
    const after = evolveAll(moment, events);
    // then the ask waits for the flagger, and the revision and escalation reopen the moment
    expect(afterAsk.state).toEqual({ status: 'changes_requested', by: PEOPLE.cal, comment: 'Shorter' });
    expect(afterAsk.dueAt).toBe(T0 + 20 * MINUTE);
    expect(after).toEqual({ ...moment, content: newContent, revision: 2, tier: 1, state: { status: 'pending' }, dueAt: T0 + 40 * MINUTE });
  });
});

describe('decisionOf', () => {
  test('every event but the derived approval and the reminder adds a line to the decision log', () => {
    const line = by(PEOPLE.cal, 'approve');
    expect(decisionOf({ type: 'approval_recorded', decision: line })).toBe(line);
    expect(decisionOf({ type: 'approved', by: PEOPLE.cal, at: T0 })).toBeUndefined();
    expect(decisionOf({ type: 'reminded', userIds: [], tier: 0, at: T0 })).toBeUndefined();
  });
});
