import { deadlineChange, onDeadline, tierDeadlines, UNREAD_ROLE_WAIT_MS, waitsForUnreadRoles, type DeadlineSpec } from '../../src/core/deadlines';
import type { MomentEvent } from '../../src/core/events';
import { evolveAll } from '../../src/core/evolve';
import type { DecisionRecord, MomentView } from '../../src/core/moment';
import type { Roster } from '../../src/core/routing';
import { act, actor, applyEvents, approve, CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from './fixtures';

const remind = (view: MomentView): DeadlineSpec => ({ kind: 'remind', tier: view.moment.tier, revision: view.moment.revision, dueAt: 0 });
const timeout = (view: MomentView): DeadlineSpec => ({ kind: 'timeout', tier: view.moment.tier, revision: view.moment.revision, dueAt: 0 });
const clock = (at: number, tier: number, revision = 1): DecisionRecord => ({
  userId: undefined,
  role: undefined,
  action: 'timeout',
  comment: undefined,
  revision,
  tier,
  at,
});

describe('tierDeadlines', () => {
  test('a new crisis moment is reminded halfway through its ten minutes and times out at the end', () => {
    // given a crisis moment flagged at T0; when its first deadlines are computed
    const view = flagged(CRISIS);
    // then remind at +5m and time out at +10m, for tier 0 revision 1
    expect(tierDeadlines(view.moment, T0)).toEqual([
      { kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 5 * MINUTE },
      { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 10 * MINUTE },
    ]);
  });
});

describe('onDeadline', () => {
  test('a reminder names only the reviewers who have not approved, never the flagger', () => {
    // given brand needs two approvals from ana, bea or the flagger, and ana approved
    const view = approve(flagged(topic({ require: { brand: 2 } }), { members: { ...MEMBERS, brand: [PEOPLE.flagger, PEOPLE.ana, PEOPLE.bea] } }), PEOPLE.ana, T0 + 1);
    // when the reminder comes due
    const events = onDeadline(view, remind(view), T0 + 15 * MINUTE);
    // then only bea is reminded
    expect(events).toEqual([{ type: 'reminded', userIds: [PEOPLE.bea], tier: 0, at: T0 + 15 * MINUTE }]);
  });

  test('with self-approval on, the flagger who reviews is reminded too', () => {
    const view = flagged(topic({ selfApproval: true }), { members: { ...MEMBERS, brand: [PEOPLE.flagger, PEOPLE.ana] } });
    const events = onDeadline(view, remind(view), T0 + 15 * MINUTE);
    expect(events).toEqual([{ type: 'reminded', userIds: [PEOPLE.flagger, PEOPLE.ana], tier: 0, at: T0 + 15 * MINUTE }]);
  });

  test('a reminder swept once its tier\'s time is up (Greenlight was down past both) does nothing: the timeout decides', () => {
    const view = flagged();
    expect(onDeadline(view, remind(view), view.moment.dueAt - 1)).toHaveLength(1);
    expect(onDeadline(view, remind(view), view.moment.dueAt)).toEqual([]);
  });

  test('a reminder while changes are requested reminds the flagger, not the reviewers who wait on them', () => {
    const view = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, T0 + 1);
    expect(onDeadline(view, remind(view), T0 + 15 * MINUTE)).toEqual([{ type: 'revision_reminded', at: T0 + 15 * MINUTE }]);
    // and not once the window is over: the timeout decides
    expect(onDeadline(view, remind(view), view.moment.dueAt)).toEqual([]);
  });

  test('a timeout at tier 0 escalates to tier 1 with a fresh window, recorded as the clock', () => {
    // given a crisis moment at tier 0; when its timeout comes due
    const view = flagged(CRISIS);
    const now = T0 + 10 * MINUTE;
    // then it escalates to the leads for another ten minutes
    expect(onDeadline(view, timeout(view), now)).toEqual([
      { type: 'escalated', decision: clock(now, 0), fromTier: 0, toTier: 1, dueAt: now + 10 * MINUTE, seated: [] },
    ]);
  });

  test('timeouts escalate tier by tier and expire the moment after the last tier', () => {
    // given a crisis moment (tiers: roles, leads, execs)
    let view = flagged(CRISIS);
    const kinds: string[] = [];
    // when each tier times out in turn
    for (let i = 1; i <= 3; i += 1) {
      const events = onDeadline(view, timeout(view), T0 + i * 10 * MINUTE);
      kinds.push(events.map((e) => e.type).join());
      view = { ...view, moment: evolveAll(view.moment, events) };
    }
    // then escalated, escalated, expired
    expect(kinds).toEqual(['escalated', 'escalated', 'expired']);
    expect(view.moment.state).toEqual({ status: 'expired', by: undefined, comment: undefined, at: T0 + 30 * MINUTE });
  });

  test('a timeout skips a tier nobody can decide in (an empty user group) and escalates to the next one that has someone', () => {
    // given a crisis moment whose leads (tier 1) resolved to nobody; execs (tier 2) has the boss
    const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [] } });
    const now = T0 + 10 * MINUTE;
    // when tier 0 times out
    const events = onDeadline(view, timeout(view), now);
    // then it goes straight to the execs, with a fresh window
    expect(events).toEqual([{ type: 'escalated', decision: clock(now, 0), fromTier: 0, toTier: 2, dueAt: now + 10 * MINUTE, seated: [] }]);
  });

  test('a timeout with only tiers nobody can decide in left (the leads are just the flagger) expires the moment at once', () => {
    // given the lead flags a moment whose only escalation tier is the leads, and self-approval is off
    const view = flagged(topic(), { flaggerId: PEOPLE.lead });
    const now = T0 + 30 * MINUTE;
    // when tier 0 times out
    const events = onDeadline(view, timeout(view), now);
    // then it expires now, instead of waiting another window at a tier where the lead's approval cannot count
    expect(events).toEqual([{ type: 'expired', decision: clock(now, 0) }]);
  });

  test('with self-approval on, a flagger who is the next tier is escalated to', () => {
    const view = flagged(topic({ selfApproval: true }), { flaggerId: PEOPLE.lead });
    expect(onDeadline(view, timeout(view), T0 + 30 * MINUTE)).toMatchObject([{ type: 'escalated', toTier: 1 }]);
  });

  test('the flagger who does not revise in time lets the moment expire, even with tiers left', () => {
    // given changes were requested on a crisis moment at tier 0
    const view = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.cal), comment: 'Shorter' }, T0 + 1);
    // when the flagger's window times out
    const events = onDeadline(view, timeout(view), T0 + 11 * MINUTE);
    // then it expires
    expect(events).toEqual([{ type: 'expired', decision: clock(T0 + 11 * MINUTE, 0) }]);
  });

  test('a deadline of an older tier or an older revision does nothing', () => {
    // given a moment escalated to tier 1, and one revised to revision 2
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, T0 + 1);
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, T0 + 1);
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, T0 + 2);
    // when the tier-0 / revision-1 deadlines come due
    const stale: MomentEvent[] = [
      ...onDeadline(escalated, { kind: 'timeout', tier: 0, revision: 1, dueAt: 0 }, T0 + 20 * MINUTE),
      ...onDeadline(escalated, { kind: 'remind', tier: 0, revision: 1, dueAt: 0 }, T0 + 20 * MINUTE),
      ...onDeadline(revised, { kind: 'timeout', tier: 0, revision: 1, dueAt: 0 }, T0 + 40 * MINUTE),
    ];
    // then nothing happens
    expect(stale).toEqual([]);
  });

  test('a deadline of a closed moment does nothing', () => {
    const approved = approve(flagged(), PEOPLE.ana, T0 + 1);
    expect([...onDeadline(approved, timeout(approved), T0 + 40 * MINUTE), ...onDeadline(approved, remind(approved), T0 + 40 * MINUTE)]).toEqual([]);
  });
});

describe('deadlineChange', () => {
  const view = flagged(CRISIS);
  const decision: DecisionRecord = { userId: PEOPLE.cal, role: 'comms', action: 'approve', comment: undefined, revision: 1, tier: 0, at: T0 + 1 };

  test('an approval that does not close the moment and a reminder leave the deadlines alone', () => {
    const none = { cancelOpen: false, schedule: [] };
    expect(deadlineChange({ type: 'approval_recorded', decision }, view.moment)).toEqual(none);
    expect(deadlineChange({ type: 'reminded', userIds: [PEOPLE.leo], tier: 0, at: T0 + 1 }, view.moment)).toEqual(none);
  });

  test.each<[string, MomentEvent]>([
    ['approved', { type: 'approved', by: PEOPLE.leo, at: T0 + 1 }],
    ['rejected', { type: 'rejected', decision: { ...decision, action: 'reject', comment: 'No' } }],
    ['expired', { type: 'expired', decision: clock(T0 + 1, 0) }],
    ['withdrawn', { type: 'withdrawn', decision: { ...decision, action: 'withdraw', userId: PEOPLE.flagger, role: undefined } }],
  ])('%s closes every open deadline and schedules none', (_name, event) => {
    expect(deadlineChange(event, view.moment)).toEqual({ cancelOpen: true, schedule: [] });
  });

  test("changes requested replaces the deadlines with the flagger's window: a reminder halfway, the timeout at its end", () => {
    const event: MomentEvent = { type: 'changes_requested', decision: { ...decision, action: 'request_changes', comment: 'x', at: T0 + MINUTE }, dueAt: T0 + 11 * MINUTE };
    expect(deadlineChange(event, evolveAll(view.moment, [event]))).toEqual({
      cancelOpen: true,
      schedule: [
        { kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 6 * MINUTE },
        { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 11 * MINUTE },
      ],
    });
  });

  test('a revision and an escalation restart the tier: remind halfway, time out at the new due time', () => {
    // given the events and the moment after each
    const revised: MomentEvent = { type: 'revised', decision: { ...decision, action: 'revise', revision: 2, at: T0 + 2 * MINUTE }, content: CONTENT, dueAt: T0 + 12 * MINUTE };
    const escalated: MomentEvent = { type: 'escalated', decision: { ...decision, action: 'escalate', at: T0 + 4 * MINUTE }, fromTier: 0, toTier: 1, dueAt: T0 + 14 * MINUTE, seated: [] };
    // when their deadline changes are computed, then the old ones go and the new tier's come
    expect(deadlineChange(revised, evolveAll(view.moment, [revised]))).toEqual({
      cancelOpen: true,
      schedule: [
        { kind: 'remind', tier: 0, revision: 2, dueAt: T0 + 7 * MINUTE },
        { kind: 'timeout', tier: 0, revision: 2, dueAt: T0 + 12 * MINUTE },
      ],
    });
    expect(deadlineChange(escalated, evolveAll(view.moment, [escalated]))).toEqual({
      cancelOpen: true,
      schedule: [
        { kind: 'remind', tier: 1, revision: 1, dueAt: T0 + 9 * MINUTE },
        { kind: 'timeout', tier: 1, revision: 1, dueAt: T0 + 14 * MINUTE },
      ],
    });
  });
});

describe('onDeadline with the directory: the next tier is asked as it is now, not as it was at the flag', () => {
  const NEWLEAD = 'U0NEWLEAD';
  const roster = (members: Readonly<Record<string, readonly string[]>>, unread: readonly string[] = []): Roster => ({
    members: new Map(Object.entries({ ...MEMBERS, ...members })),
    unread: new Set(unread),
  });
  const now = T0 + 10 * MINUTE;

  test('someone who joined the leads after the flag is seated by the escalation; the lead assigned at the flag is not seated twice', () => {
    // given a crisis moment flagged when the leads were the lead alone; the lead group now also holds a newcomer
    const view = flagged(CRISIS);
    // when tier 0 times out
    const events = onDeadline(view, timeout(view), now, roster({ leads: [PEOPLE.lead, NEWLEAD] }));
    // then it escalates to the leads, seating the newcomer
    expect(events).toEqual([
      { type: 'escalated', decision: clock(now, 0), fromTier: 0, toTier: 1, dueAt: now + 10 * MINUTE, seated: [{ tier: 1, role: 'leads', userId: NEWLEAD }] },
    ]);
    // and once applied, the newcomer's approval decides the moment alone
    const after = approve(applyEvents(view, events), NEWLEAD, now + 1);
    expect(after.moment.state.status).toBe('approved');
  });

  test('a tier empty at the flag but staffed now is escalated to, not skipped', () => {
    // given the leads were nobody when the crisis moment was flagged, and the lead has joined since
    const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [] } });
    // when tier 0 times out
    const events = onDeadline(view, timeout(view), now, roster({ leads: [PEOPLE.lead] }));
    // then the leads are asked (tier 1), where without the directory the moment went to the execs
    expect(events).toMatchObject([{ type: 'escalated', toTier: 1, seated: [{ tier: 1, role: 'leads', userId: PEOPLE.lead }] }]);
    expect(onDeadline(view, timeout(view), now)).toMatchObject([{ type: 'escalated', toTier: 2, seated: [] }]);
  });

  test('a tier whose people all left their role since the flag is skipped, as an empty one is', () => {
    // given the lead was assigned at the flag and has left the leads since
    const view = flagged(CRISIS);
    // when tier 0 times out, then the execs are asked; when nobody is left anywhere, the moment expires
    expect(onDeadline(view, timeout(view), now, roster({ leads: [] }))).toMatchObject([{ type: 'escalated', toTier: 2, seated: [] }]);
    expect(onDeadline(view, timeout(view), now, roster({ leads: [], execs: [] }))).toEqual([{ type: 'expired', decision: clock(now, 0) }]);
  });

  test('a role the directory does not know (renamed in the routing file since the flag) keeps the people of the flag, as it does for a press', () => {
    const view = flagged(CRISIS);
    const renamed: Roster = { members: new Map(Object.entries(MEMBERS).filter(([role]) => role !== 'leads')), unread: new Set() };
    expect(onDeadline(view, timeout(view), now, renamed)).toMatchObject([{ type: 'escalated', toTier: 1, seated: [] }]);
  });

  test('a flagger who joined the leads since the flag is not the tier alone: skipped unless self-approval counts, then seated', () => {
    // given a moment whose only escalation tier, the leads, now holds just its flagger (who was not a lead at the flag)
    const leadsNow = roster({ leads: [PEOPLE.flagger] });
    const off = flagged(topic());
    const on = flagged(topic({ selfApproval: true }));
    // when tier 0 times out: without self-approval the moment expires; with it, the flagger is seated and decides
    expect(onDeadline(off, timeout(off), T0 + 30 * MINUTE, leadsNow)).toEqual([{ type: 'expired', decision: clock(T0 + 30 * MINUTE, 0) }]);
    const events = onDeadline(on, timeout(on), T0 + 30 * MINUTE, leadsNow);
    expect(events).toMatchObject([{ type: 'escalated', toTier: 1, seated: [{ tier: 1, role: 'leads', userId: PEOPLE.flagger }] }]);
    expect(approve(applyEvents(on, events), PEOPLE.flagger, T0 + 31 * MINUTE).moment.state.status).toBe('approved');
  });

  test('a role Slack has not been read for keeps the people assigned at the flag', () => {
    // given the leads' group could not be read since the start (nobody listed: a hiccup, not an empty role)
    const view = flagged(CRISIS);
    // when tier 0 times out, then the lead assigned at the flag is asked, nobody new is seated
    expect(onDeadline(view, timeout(view), now, roster({ leads: [] }, ['leads']))).toMatchObject([{ type: 'escalated', toTier: 1, seated: [] }]);
  });
});

describe('waitsForUnreadRoles: a deadline waits a while for a user group Slack has not answered for since the start', () => {
  const started = T0 + 60 * MINUTE;
  const roster = (unread: readonly string[], members: Readonly<Record<string, readonly string[]>> = {}): Roster => ({
    members: new Map(Object.entries({ ...MEMBERS, ...members })),
    unread: new Set(unread),
    unreadWaitUntil: started + UNREAD_ROLE_WAIT_MS,
  });
  const view = flagged(CRISIS);
  const timeoutDue: DeadlineSpec = { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 10 * MINUTE };
  const remindDue: DeadlineSpec = { kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 5 * MINUTE };

  test('a timeout waits while the tier it escalates to is unread, until two minutes after the start however long ago it fell due', () => {
    expect(UNREAD_ROLE_WAIT_MS).toBe(2 * MINUTE);
    // (Greenlight was stopped for fifty minutes past the deadline)
    expect(waitsForUnreadRoles(view, timeoutDue, started, roster(['leads']))).toBe(true);
    expect(waitsForUnreadRoles(view, timeoutDue, started + UNREAD_ROLE_WAIT_MS - 1, roster(['leads']))).toBe(true);
    expect(waitsForUnreadRoles(view, timeoutDue, started + UNREAD_ROLE_WAIT_MS, roster(['leads']))).toBe(false);
    // a roster with no such time set (a press catching up) never waits
    expect(waitsForUnreadRoles(view, timeoutDue, started, { ...roster(['leads']), unreadWaitUntil: undefined })).toBe(false);
  });

  test('a timeout does not wait for a tier past one that can decide, nor for roles read, nor once the moment is not pending', () => {
    // the execs (tier 2) unread, the leads (tier 1) read and staffed: the leads take it
    expect(waitsForUnreadRoles(view, timeoutDue, started, roster(['execs']))).toBe(false);
    // the leads read and empty: the escalation would go on to the unread execs
    expect(waitsForUnreadRoles(view, timeoutDue, started, roster(['execs'], { leads: [] }))).toBe(true);
    expect(waitsForUnreadRoles(view, timeoutDue, started, roster([]))).toBe(false);
    expect(waitsForUnreadRoles(view, timeoutDue, started, undefined)).toBe(false);
    // waiting for a revision, the moment expires whoever is in the roles
    const asked = act(view, { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'x' }, T0 + MINUTE);
    expect(waitsForUnreadRoles(asked, { ...timeoutDue, dueAt: asked.moment.dueAt }, started, roster(['leads']))).toBe(false);
  });

  test('a reminder waits while a role of its own tier is unread: it would go to the people of the flag', () => {
    expect(waitsForUnreadRoles(view, remindDue, started, roster(['legal']))).toBe(true);
    expect(waitsForUnreadRoles(view, remindDue, started, roster(['leads']))).toBe(false);
  });
});
