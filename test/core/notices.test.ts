import { decide, type Command } from '../../src/core/decide';
import { onDeadline } from '../../src/core/deadlines';
import type { MomentEvent } from '../../src/core/events';
import type { MomentView } from '../../src/core/moment';
import { laneOf, type Note, type Notice } from '../../src/core/notice';
import { noticesFor, noticesForChange, noticesForFlag, noticesForShortRoles, remindersForReviewersBack } from '../../src/core/notices';
import type { Roster } from '../../src/core/routing';
import { act, actor, applyEvents, approve, CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from './fixtures';

const NOW = T0 + MINUTE;
const CONFIRM = { channel: 'C0HERE', responseUrl: 'https://hooks.slack.com/commands/1' };

/** Decides, applies and returns the notices of every event, as the workflow queues them. */
function noticesOf(view: MomentView, command: Command, now = NOW): Notice[] {
  const decided = decide(view, command, now);
  if (!decided.ok) throw new Error(decided.code);
  return noticesAfter(view, decided.events);
}

function noticesAfter(view: MomentView, events: readonly MomentEvent[]): Notice[] {
  let current = view;
  const notices: Notice[] = [];
  for (const event of events) {
    current = applyEvents(current, [event]);
    notices.push(...noticesFor(event, current));
  }
  return notices;
}

describe('noticesForFlag', () => {
  test('a new moment posts its card first, confirms to the flagger, then DMs each tier-0 reviewer except the flagger', () => {
    // given the flagger is a brand member too
    const view = flagged(topic(), { members: { ...MEMBERS, brand: [PEOPLE.ana, PEOPLE.flagger, PEOPLE.bea] } });
    // when its first notices are computed
    const notices = noticesForFlag(view, CONFIRM);
    // then card, confirmation, and a DM to ana and bea only (not the leads of tier 1)
    expect(notices).toEqual([
      { kind: 'post_card' },
      { kind: 'confirm_flag', userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: CONFIRM.responseUrl },
      { kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review', tier: 0, revision: 1 },
      { kind: 'dm_reviewer', userId: PEOPLE.bea, why: 'review', tier: 0, revision: 1 },
    ]);
  });

  test('a moment flagged from a message also replies in the source thread, and a person in two roles gets one DM', () => {
    const view = flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.cal, PEOPLE.leo] }, source: { channel: 'C0SRC', ts: '1.2' } });
    expect(noticesForFlag(view, { channel: undefined, responseUrl: undefined }).map((n) => ('userId' in n ? `${n.kind}:${n.userId}` : n.kind))).toEqual([
      'post_card',
      `confirm_flag:${PEOPLE.flagger}`,
      'source_reply',
      `dm_reviewer:${PEOPLE.cal}`,
      `dm_reviewer:${PEOPLE.leo}`,
    ]);
  });
});

describe('noticesFor', () => {
  test('an approval that does not close the moment updates the card, notes it in the thread and tells the approver\'s DM', () => {
    const notices = noticesOf(flagged(CRISIS), { kind: 'approve', actor: actor(PEOPLE.cal) });
    expect(notices).toEqual([
      { kind: 'update_card' },
      { kind: 'thread_note', note: { what: 'approve', userId: PEOPLE.cal, role: 'comms', comment: undefined, tier: 0 } },
      { kind: 'update_dm', userId: PEOPLE.cal },
    ]);
  });

  test('an approval that fills a role re-renders the DMs of the role\'s other reviewers, whose approval is no longer needed', () => {
    // given comms is cal, bea and ana; legal's leo has not approved either
    const view = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea, PEOPLE.ana] } });
    // when cal approves, comms is full: bea and ana are told, leo (still needed) is not
    expect(noticesOf(view, { kind: 'approve', actor: actor(PEOPLE.cal) }).filter((n) => n.kind === 'update_dm')).toEqual([
      { kind: 'update_dm', userId: PEOPLE.cal },
      { kind: 'update_dm', userId: PEOPLE.bea },
      { kind: 'update_dm', userId: PEOPLE.ana },
    ]);
    // with two comms approvals needed, the first fills nothing alone: only the approver's DM changes
    const two = flagged(topic({ require: { comms: 2 } }), { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea, PEOPLE.ana] } });
    expect(noticesOf(two, { kind: 'approve', actor: actor(PEOPLE.cal) }).filter((n) => n.kind === 'update_dm')).toEqual([{ kind: 'update_dm', userId: PEOPLE.cal }]);
  });

  test('an approval re-renders the DM of someone in two roles now awaited in fewer, and of an approver it moved to another role', () => {
    // given cal is in comms and legal, ana in comms: when ana fills comms, cal is awaited in legal alone and is told
    const twoRoles = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.ana], legal: [PEOPLE.cal, PEOPLE.leo] } });
    expect(noticesOf(twoRoles, { kind: 'approve', actor: actor(PEOPLE.ana) }).filter((n) => n.kind === 'update_dm')).toEqual([
      { kind: 'update_dm', userId: PEOPLE.ana },
      { kind: 'update_dm', userId: PEOPLE.cal },
    ]);
    // given comms, legal and brand, cal in comms and legal, bea in comms: cal approves (comms), then bea's approval takes
    // comms and moves cal's to legal, so cal's DM, which said comms, is told (leo, no longer needed in legal, too)
    const three = topic({ name: 'crisis', require: { comms: 1, legal: 1, brand: 1 } });
    const calFirst = approve(flagged(three, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal, PEOPLE.leo], brand: [PEOPLE.ana] } }), PEOPLE.cal, NOW);
    expect(noticesOf(calFirst, { kind: 'approve', actor: actor(PEOPLE.bea) }, NOW + 1).filter((n) => n.kind === 'update_dm')).toEqual([
      { kind: 'update_dm', userId: PEOPLE.bea },
      { kind: 'update_dm', userId: PEOPLE.leo },
      { kind: 'update_dm', userId: PEOPLE.cal },
    ]);
  });

  test('the approval that closes the moment tells the flagger and updates the DM of every reviewer of a tier reached', () => {
    // given comms approved a crisis moment flagged from a message
    const view = approve(flagged(CRISIS, { source: { channel: 'C0SRC', ts: '1.2' } }), PEOPLE.cal, NOW);
    // when legal approves
    const notices = noticesOf(view, { kind: 'approve', actor: actor(PEOPLE.leo) });
    // then: note of the approval, the outcome to the thread, the flagger, every reviewer DM and the source thread
    const outcome = { what: 'approved', userId: PEOPLE.leo, comment: undefined };
    expect(notices).toEqual([
      { kind: 'update_card' },
      { kind: 'thread_note', note: { what: 'approve', userId: PEOPLE.leo, role: 'legal', comment: undefined, tier: 0 } },
      { kind: 'update_dm', userId: PEOPLE.leo },
      { kind: 'update_card' },
      { kind: 'thread_note', note: outcome },
      { kind: 'notify_flagger', note: outcome },
      { kind: 'update_dm', userId: PEOPLE.cal },
      { kind: 'update_dm', userId: PEOPLE.leo },
      { kind: 'source_reply', note: { ...outcome, userId: undefined } },
    ]);
  });

  test('a reject tells the flagger the reason and closes every DM sent (the escalation tier was never pinged)', () => {
    const notices = noticesOf(flagged(), { kind: 'reject', actor: actor(PEOPLE.ana), reason: 'Off brand' });
    expect(notices).toEqual([
      { kind: 'update_card' },
      { kind: 'thread_note', note: { what: 'reject', userId: PEOPLE.ana, role: 'brand', comment: 'Off brand', tier: 0 } },
      { kind: 'notify_flagger', note: { what: 'rejected', userId: PEOPLE.ana, comment: 'Off brand' } },
      { kind: 'update_dm', userId: PEOPLE.ana },
      { kind: 'update_dm', userId: PEOPLE.bea },
    ]);
  });

  test('a withdrawal and an expiry close the moment the same way, except that the flagger is not told what they did', () => {
    const withdrawn = noticesOf(flagged(), { kind: 'withdraw', actor: actor(PEOPLE.flagger) });
    // (only the flagger withdraws: a DM saying so would ping them about their own press, as their own Escalate does not)
    expect(withdrawn.map((n) => n.kind)).toEqual(['update_card', 'thread_note', 'update_dm', 'update_dm']);
    const view = flagged(topic({ escalateTo: [] }));
    const expired = noticesAfter(view, onDeadline(view, { kind: 'timeout', tier: 0, revision: 1, dueAt: 0 }, T0 + 30 * MINUTE));
    expect(expired.slice(0, 3)).toEqual([
      { kind: 'update_card' },
      // the thread is told the moment expired, not the timeout's line (an escalation's)
      { kind: 'thread_note', note: { what: 'expired', userId: undefined, comment: undefined } },
      { kind: 'notify_flagger', note: { what: 'expired', userId: undefined, comment: undefined } },
    ]);
  });

  test('a request for changes tells the flagger, and takes the buttons off the reviewers\' DMs without pinging them', () => {
    const notices = noticesOf(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Shorter' });
    const note = { what: 'request_changes', userId: PEOPLE.bea, role: 'brand', comment: 'Shorter', tier: 0 };
    expect(notices).toEqual([
      { kind: 'update_card' },
      { kind: 'thread_note', note },
      // with the revision asked on, so a DM that goes out late never offers Revise… on a later request
      { kind: 'notify_flagger', note, revision: 1 },
      { kind: 'update_dm', userId: PEOPLE.ana },
      { kind: 'update_dm', userId: PEOPLE.bea },
    ]);
  });

  test('a rejected message\'s thread is told the outcome without who rejected it or why, which the flagger and the card keep', () => {
    const view = flagged(topic(), { source: { channel: 'C0PUBLIC', ts: '1.1' } });
    const notices = noticesOf(view, { kind: 'reject', actor: actor(PEOPLE.ana), reason: 'Legal says no: the recall is not public yet' });
    expect(notices.find((n) => n.kind === 'source_reply')).toEqual({ kind: 'source_reply', note: { what: 'rejected', userId: undefined, comment: undefined } });
    expect(notices.find((n) => n.kind === 'notify_flagger')).toMatchObject({ note: { comment: 'Legal says no: the recall is not public yet' } });
  });

  test('a revision settles the flagger\'s request DM, DMs the tier again (except the flagger), then re-renders the earlier DMs', () => {
    const view = act(flagged(topic(), { members: { ...MEMBERS, brand: [PEOPLE.ana, PEOPLE.flagger] } }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'x' }, NOW);
    const notices = noticesOf(view, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 1);
    // (the earlier DMs said a revision was due: in each person's lane they are re-rendered after the new DM, which
    // replaced them)
    expect(notices.slice(2)).toEqual([
      { kind: 'update_flagger_note', revision: 1 },
      { kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'revised', tier: 0, revision: 2 },
      // (the new DM is left alone: it was posted as it should read)
      { kind: 'update_dm', userId: PEOPLE.ana, postedWith: { tier: 0, revision: 2 } },
      { kind: 'update_dm', userId: PEOPLE.flagger, postedWith: { tier: 0, revision: 2 } },
    ]);
  });

  test('a revision\'s thread note says approvals stopped counting only where someone had approved', () => {
    const revise = { kind: 'revise' as const, actor: actor(PEOPLE.flagger), content: CONTENT };
    const noteOfRevision = (view: MomentView) => noticesOf(view, revise, NOW + 2).find((n) => n.kind === 'thread_note');
    // comms approved a crisis moment, then legal asked for changes: comms' approval stops counting
    const approved = act(act(flagged(CRISIS), { kind: 'approve', actor: actor(PEOPLE.cal) }, NOW), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'x' }, NOW + 1);
    expect(noteOfRevision(approved)).toMatchObject({ note: { what: 'revise', voidedApprovals: true } });
    // nobody had approved: nothing stopped counting
    const asked = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'x' }, NOW + 1);
    expect(noteOfRevision(asked)).toMatchObject({ note: { what: 'revise', voidedApprovals: false } });
  });

  test('a moment that ends while waiting for the revision takes Revise… off the flagger\'s DM; one that ends pending has none to take', () => {
    const asked = act(flagged(topic({ escalateTo: [] })), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    // withdrawn meanwhile
    expect(noticesOf(asked, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, NOW + 1).map((n) => n.kind)).toContain('update_flagger_note');
    // or expired: and the thread and the flagger are told no revision came, not that nobody decided
    const expired = noticesAfter(asked, onDeadline(asked, { kind: 'timeout', tier: 0, revision: 1, dueAt: 0 }, asked.moment.dueAt));
    const note = { what: 'expired', userId: undefined, comment: undefined, awaitingRevision: true };
    expect(expired).toEqual(expect.arrayContaining([{ kind: 'thread_note', note }, { kind: 'notify_flagger', note }, { kind: 'update_flagger_note', revision: 1 }]));
    // a moment closed while pending (changes were asked on an earlier revision, or never) queues no such update
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 2);
    expect(noticesOf(revised, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, NOW + 3).map((n) => n.kind)).not.toContain('update_flagger_note');
    expect(noticesOf(flagged(), { kind: 'withdraw', actor: actor(PEOPLE.flagger) }).map((n) => n.kind)).not.toContain('update_flagger_note');
  });

  test('an escalation DMs the members of the new tier, and the tier left behind loses its buttons', () => {
    const notices = noticesOf(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal), comment: 'Help' });
    expect(notices).toEqual([
      { kind: 'update_card' },
      { kind: 'thread_note', note: { what: 'escalate', userId: PEOPLE.cal, role: 'comms', comment: 'Help', tier: 0, toTier: 1 } },
      { kind: 'notify_flagger', note: { what: 'escalate', userId: PEOPLE.cal, role: 'comms', comment: 'Help', tier: 0, toTier: 1 } },
      { kind: 'dm_reviewer', userId: PEOPLE.lead, why: 'escalated', tier: 1, revision: 1 },
      { kind: 'update_dm', userId: PEOPLE.cal, postedWith: { tier: 1, revision: 1 } },
      { kind: 'update_dm', userId: PEOPLE.leo, postedWith: { tier: 1, revision: 1 } },
    ]);
  });

  test('after an escalation, a request for changes and the revision re-render the DMs of the tier deciding, not of the tiers left behind', () => {
    // given a crisis moment escalated from comms and legal (cal, leo) to the leads
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    // when the lead asks for changes, and the flagger revises
    const asked = noticesOf(escalated, { kind: 'request_changes', actor: actor(PEOPLE.lead), comment: 'Shorter' }, NOW + 1);
    const revised = noticesOf(act(escalated, { kind: 'request_changes', actor: actor(PEOPLE.lead), comment: 'Shorter' }, NOW + 1), { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 2);
    // then only the lead's DMs are re-rendered: cal's and leo's said at the escalation that nothing more is needed
    const updated = (notices: Notice[]) => notices.flatMap((n) => (n.kind === 'update_dm' ? [n.userId] : []));
    expect(updated(asked)).toEqual([PEOPLE.lead]);
    expect(updated(revised)).toEqual([PEOPLE.lead]);
  });

  test('the flagger is not told of an escalation they pressed themselves', () => {
    const byFlagger = noticesOf(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.flagger) });
    expect(byFlagger.filter((n) => n.kind === 'notify_flagger')).toEqual([]);
  });

  test('a reviewer of the tier left behind who is also in the new tier has the old DM re-rendered after the new one is posted', () => {
    const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [PEOPLE.cal] } });
    const notices = noticesOf(view, { kind: 'escalate', actor: actor(PEOPLE.leo) });
    // (one lane per person: cal's new DM is posted with its own words, then his old one says the new one replaced it)
    expect(notices.slice(3)).toEqual([
      { kind: 'dm_reviewer', userId: PEOPLE.cal, why: 'escalated', tier: 1, revision: 1 },
      { kind: 'update_dm', userId: PEOPLE.cal, postedWith: { tier: 1, revision: 1 } },
      { kind: 'update_dm', userId: PEOPLE.leo, postedWith: { tier: 1, revision: 1 } },
    ]);
  });

  test('an escalation DMs who it seated as well as the tier assigned at the flag', () => {
    // given the leads gained a newcomer since the crisis moment was flagged; when comms escalates
    const roster = { members: new Map(Object.entries({ ...MEMBERS, leads: [PEOPLE.lead, 'U0NEWLEAD'] })), unread: new Set<string>() };
    const notices = noticesOf(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal), roster });
    // then both leads are asked
    expect(notices.filter((n) => n.kind === 'dm_reviewer')).toEqual([
      { kind: 'dm_reviewer', userId: PEOPLE.lead, why: 'escalated', tier: 1, revision: 1 },
      { kind: 'dm_reviewer', userId: 'U0NEWLEAD', why: 'escalated', tier: 1, revision: 1 },
    ]);
  });

  test('with self-approval on, a flagger who is the next tier is asked when the moment escalates to them', () => {
    const view = flagged(topic({ selfApproval: true }), { flaggerId: PEOPLE.lead });
    const notices = noticesOf(view, { kind: 'escalate', actor: actor(PEOPLE.ana) });
    expect(notices.filter((n) => n.kind === 'dm_reviewer')).toEqual([{ kind: 'dm_reviewer', userId: PEOPLE.lead, why: 'escalated', tier: 1, revision: 1 }]);
  });

  test('an escalation past a tier nobody can decide in DMs the tier it reached, and its note says which', () => {
    // given a crisis moment whose leads resolved to nobody; when comms escalates
    const notices = noticesOf(flagged(CRISIS, { members: { ...MEMBERS, leads: [] } }), { kind: 'escalate', actor: actor(PEOPLE.cal) });
    // then the thread reads "escalated to tier 2" and the boss is asked
    expect(notices[1]).toEqual({ kind: 'thread_note', note: { what: 'escalate', userId: PEOPLE.cal, role: 'comms', comment: undefined, tier: 0, toTier: 2 } });
    expect(notices.filter((n) => n.kind === 'dm_reviewer')).toEqual([{ kind: 'dm_reviewer', userId: PEOPLE.boss, why: 'escalated', tier: 2, revision: 1 }]);
  });

  test("a reminder while changes are asked sends the flagger the request again, with its revision", () => {
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Shorter' }, NOW);
    expect(noticesFor({ type: 'revision_reminded', at: NOW + MINUTE }, asked)).toEqual([
      { kind: 'notify_flagger', note: { what: 'request_changes', userId: PEOPLE.bea, role: 'brand', comment: 'Shorter', tier: 0 }, revision: 1, reminder: true },
    ]);
  });

  test('a reminder DMs each reminded reviewer about the tier and revision it reminds of, and touches nothing else', () => {
    const view = flagged(topic({ require: { brand: 2 } }));
    expect(noticesFor({ type: 'reminded', userIds: [PEOPLE.ana, PEOPLE.bea], tier: 0, at: NOW }, view)).toEqual([
      { kind: 'remind_reviewer', userId: PEOPLE.ana, tier: 0, revision: 1 },
      { kind: 'remind_reviewer', userId: PEOPLE.bea, tier: 0, revision: 1 },
    ]);
  });
});

describe('laneOf', () => {
  test.each<[Notice, string | undefined]>([
    [{ kind: 'post_card' }, 'card'],
    [{ kind: 'update_card' }, 'card'],
    [{ kind: 'thread_note', note: { what: 'flagged' } }, 'card'],
    [{ kind: 'confirm_flag', userId: PEOPLE.flagger, channel: undefined, responseUrl: undefined }, 'confirm'],
    [{ kind: 'source_reply', note: { what: 'flagged' } }, 'source'],
    [{ kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' }, `dm:${PEOPLE.ana}`],
    [{ kind: 'remind_reviewer', userId: PEOPLE.ana }, `dm:${PEOPLE.ana}`],
    [{ kind: 'update_dm', userId: PEOPLE.bea }, `dm:${PEOPLE.bea}`],
    [{ kind: 'notify_flagger', note: { what: 'flagged' } }, 'flagger'],
    [{ kind: 'update_flagger_note', revision: 1 }, 'flagger'],
    [{ kind: 'ephemeral', userId: PEOPLE.ana, channel: 'C1', text: 'x' }, undefined],
    [{ kind: 'respond', responseUrl: 'https://x', text: 'x' }, undefined],
    [{ kind: 'publish_home', userId: PEOPLE.ana }, `home:${PEOPLE.ana}`],
  ])('a %j notice goes in lane %p', (notice, lane) => {
    expect(laneOf(notice)).toBe(lane);
  });
});

describe('noticesForChange', () => {
  const approval: Note = { what: 'approve', userId: PEOPLE.leo, role: 'legal', comment: undefined, tier: 0 };
  const outcome: Note = { what: 'approved', userId: PEOPLE.leo, comment: undefined };

  test('the approval that closes a moment re-renders the card and each DM once and puts both lines in one thread reply', () => {
    const view = approve(flagged(CRISIS, { source: { channel: 'C0SRC', ts: '1.2' } }), PEOPLE.cal, NOW);
    const notices = noticesForChange(noticesOf(view, { kind: 'approve', actor: actor(PEOPLE.leo) }));
    expect(notices).toEqual([
      { kind: 'update_card' },
      { kind: 'thread_note', note: approval, more: [outcome] },
      { kind: 'update_dm', userId: PEOPLE.leo },
      { kind: 'notify_flagger', note: outcome },
      { kind: 'update_dm', userId: PEOPLE.cal },
      { kind: 'source_reply', note: { ...outcome, userId: undefined } },
    ]);
  });

  test('a change with one line keeps its reply as it was, and notices of other kinds keep their order', () => {
    const reminder: Notice = { kind: 'remind_reviewer', userId: PEOPLE.ana };
    const alone: Notice[] = [reminder, { kind: 'update_card' }, { kind: 'thread_note', note: approval }, { kind: 'dm_reviewer', userId: PEOPLE.lead, why: 'escalated' }];
    expect(noticesForChange(alone)).toEqual(alone);
    expect(noticesForChange([reminder])).toEqual([reminder]);
  });

  test("one person's DM updates merge into one, which leaves fresh DMs alone only when every update it stands for does", () => {
    const fresh = { tier: 1, revision: 2 };
    const withFresh: Notice = { kind: 'update_dm', userId: PEOPLE.ana, postedWith: fresh };
    const every: Notice = { kind: 'update_dm', userId: PEOPLE.ana };
    expect(noticesForChange([withFresh, { kind: 'update_dm', userId: PEOPLE.ana, postedWith: { ...fresh } }])).toEqual([withFresh]);
    expect(noticesForChange([withFresh, every])).toEqual([every]);
    expect(noticesForChange([every, withFresh])).toEqual([every]);
    expect(noticesForChange([withFresh, { kind: 'update_dm', userId: PEOPLE.ana, postedWith: { tier: 1, revision: 3 } }])).toEqual([every]);
  });

  test('lines already gathered in a reply stay in order behind the first', () => {
    const timeout: Note = { what: 'timeout', userId: undefined, role: undefined, comment: undefined, tier: 0 };
    const notices = noticesForChange([
      { kind: 'thread_note', note: timeout, more: [approval] },
      { kind: 'update_card' },
      { kind: 'thread_note', note: outcome },
    ]);
    expect(notices).toEqual([{ kind: 'thread_note', note: timeout, more: [approval, outcome] }, { kind: 'update_card' }]);
  });
});

describe('noticesForShortRoles', () => {
  const rosterOf = (members: Readonly<Record<string, readonly string[]>>): Roster => ({ members: new Map(Object.entries(members)), unread: new Set() });

  test('a flagger warned that legal was short hears it has people again when a reviewer in comms and legal gets legal back', () => {
    // given cal in comms and legal, bea in comms too: cal taken out of legal only leaves legal short
    const full = { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal] };
    const view = flagged(CRISIS, { members: full });
    const calOutOfLegal = rosterOf({ ...full, legal: [] });
    expect(noticesForShortRoles(view, rosterOf(full), calOutOfLegal)).toEqual([
      { kind: 'notify_flagger', note: expect.objectContaining({ what: 'short_staffed', roles: ['legal'] }) },
    ]);
    // when cal gets legal back (he kept comms all along, so his DM never lost its buttons)
    // then the flagger is told legal can approve again, for this tier and revision
    expect(noticesForShortRoles(view, calOutOfLegal, rosterOf(full))).toEqual([{ kind: 'notify_flagger', revision: 1, note: { what: 'staffed_again', roles: ['legal'], tier: 0 } }]);
    expect(remindersForReviewersBack(view, calOutOfLegal, rosterOf(full))).toEqual([]);
  });
});
