import { decide, OTHER_MOMENT, pressedOn } from '../../src/core/decide';
import type { MomentView } from '../../src/core/moment';
import { act, actor, approve, CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from './fixtures';

const NOW = T0 + 5 * MINUTE;

describe('reject', () => {
  test('a reviewer rejects with a reason: the moment is rejected at once, with the trimmed reason', () => {
    // given a crisis moment that comms already approved
    const view = approve(flagged(CRISIS), PEOPLE.cal, NOW);
    // when legal rejects with a padded reason
    const decided = decide(view, { kind: 'reject', actor: actor(PEOPLE.leo), reason: '  Admits liability \n' }, NOW + 1);
    // then one reject is a veto, and the reason is kept trimmed
    expect(decided).toEqual({
      ok: true,
      events: [
        {
          type: 'rejected',
          decision: { userId: PEOPLE.leo, role: 'legal', action: 'reject', comment: 'Admits liability', revision: 1, tier: 0, at: NOW + 1 },
        },
      ],
    });
    const after = act(view, { kind: 'reject', actor: actor(PEOPLE.leo), reason: 'Admits liability' }, NOW + 1);
    expect(after.moment.state).toEqual({ status: 'rejected', by: PEOPLE.leo, comment: 'Admits liability', at: NOW + 1 });
  });

  test.each([[''], ['   '], [' \n\t '], ['\u200b'], ['\u3164\u200d\ufeff'], ['\u061c\ufff9\u{e0041}']])('a reject whose reason is %j is refused and records nothing', (reason) => {
    // given a pending moment
    const view = flagged();
    // when a reviewer rejects without a real reason
    const decided = decide(view, { kind: 'reject', actor: actor(PEOPLE.ana), reason }, NOW);
    // then a reason is required
    expect(decided).toEqual({ ok: false, code: 'comment_required', message: 'A reason is required to reject a moment.' });
  });

  test('an outsider cannot reject', () => {
    // given a pending moment; when an outsider rejects; then not_reviewer
    const decided = decide(flagged(), { kind: 'reject', actor: actor(PEOPLE.outsider), reason: 'Nope' }, NOW);
    expect(!decided.ok && decided.code).toBe('not_reviewer');
  });

  test.each([
    ['approves while the flagger revises', 'approve', 1],
    ['rejects while the flagger revises', 'reject', 1],
    ['asks for changes while the flagger revises', 'request_changes', 1],
    ['escalates while the flagger revises', 'escalate', 1],
    ['approves from the card of an older revision', 'approve', 0],
    ['rejects from the card of an older revision', 'reject', 0],
  ] as const)('an outsider who %s hears "not yours", not a turn to come', (_case, kind, latest) => {
    // given a moment sent back for changes, and (latest 0) revised since, so the outsider's card is of revision 1
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    const view = latest === 1 ? asked : act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Shorter.' } }, NOW + 1);
    // when someone never asked presses on it
    const who = actor(PEOPLE.outsider);
    const command =
      kind === 'reject' ? { kind, actor: who, reason: 'No', revision: 1 } : kind === 'request_changes' ? { kind, actor: who, comment: 'No', revision: 1 } : kind === 'escalate' ? { kind, actor: who } : { kind, actor: who, revision: 1 };
    // then they are told it is not theirs, nothing about waiting for a revision or a later card
    expect(decide(view, command, NOW + 2)).toEqual({ ok: false, code: 'not_reviewer', message: 'This one is not yours to decide: only the reviewers assigned to this moment can approve or reject it.' });
  });

  test('a reject while the flagger revises is refused, as an approval is (a Reject… form opened before the request)', () => {
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    expect(decide(asked, { kind: 'reject', actor: actor(PEOPLE.bea), reason: 'Off brand' }, NOW + 1)).toEqual({
      ok: false,
      code: 'not_pending',
      message: `Changes were requested by <@${PEOPLE.ana}>: wait for the new revision before deciding.`,
    });
  });
});

describe('request changes and revise', () => {
  test('a reviewer asks for changes: the flagger gets one window to send a new revision', () => {
    // given a pending moment
    const view = flagged();
    // when ana requests changes
    const decided = decide(view, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: ' Drop the pun ' }, NOW);
    // then the moment waits for the flagger until now + decide_within
    expect(decided).toEqual({
      ok: true,
      events: [
        {
          type: 'changes_requested',
          decision: { userId: PEOPLE.ana, role: 'brand', action: 'request_changes', comment: 'Drop the pun', revision: 1, tier: 0, at: NOW },
          dueAt: NOW + 30 * MINUTE,
        },
      ],
    });
    const after = act(view, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Drop the pun' }, NOW);
    expect(after.moment.state).toEqual({ status: 'changes_requested', by: PEOPLE.ana, comment: 'Drop the pun' });
    expect(after.moment.dueAt).toBe(NOW + 30 * MINUTE);
  });

  test('asking for changes needs a comment, and cannot be repeated while changes are pending', () => {
    // given a pending moment, when a reviewer asks for changes with a blank comment, then it is refused
    const blank = decide(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: '  ' }, NOW);
    expect(blank).toEqual({ ok: false, code: 'comment_required', message: 'Say what should change: a comment is required.' });
    // given changes were requested, when another reviewer asks again, then it is refused
    const waiting = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    const again = decide(waiting, { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Longer' }, NOW + 1);
    expect(!again.ok && again.code).toBe('not_pending');
  });

  test('after a revision, approvals of the older revision no longer count', () => {
    // given brand needs two approvals, ana approved revision 1, then bea asked for changes
    const view = flagged(topic({ require: { brand: 2 } }));
    const asked = act(approve(view, PEOPLE.ana, NOW), { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Fix the date' }, NOW + 1);
    // when the flagger posts revision 2
    const newContent = { ...CONTENT, copy: 'Fixed copy' };
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: newContent }, NOW + 2);
    // then the moment is pending on revision 2 with the new copy and a fresh window
    expect(revised.moment).toMatchObject({ revision: 2, state: { status: 'pending' }, content: newContent, dueAt: NOW + 2 + 30 * MINUTE });
    expect(revised.decisions.at(-1)).toEqual({
      userId: PEOPLE.flagger,
      role: undefined,
      action: 'revise',
      comment: undefined,
      revision: 2,
      tier: 0,
      at: NOW + 2,
    });
    // and bea's approval alone does not approve it: ana's revision-1 approval is gone
    const afterBea = approve(revised, PEOPLE.bea, NOW + 3);
    expect(afterBea.moment.state.status).toBe('pending');
    // and ana may approve again, which completes it
    expect(approve(afterBea, PEOPLE.ana, NOW + 4).moment.state.status).toBe('approved');
  });

  test('only the flagger may revise the copy', () => {
    // given changes were requested; when a reviewer tries to revise; then not_flagger
    const waiting = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    const decided = decide(waiting, { kind: 'revise', actor: actor(PEOPLE.ana), content: CONTENT }, NOW + 1);
    expect(decided).toEqual({ ok: false, code: 'not_flagger', message: 'Only the person who flagged this moment can edit it.' });
  });

  test('a Revise… form opened before the flagger\'s later revision is refused in the flagger\'s words, not a reviewer\'s', () => {
    // given revision 2 was posted, and changes asked again
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT, revision: 1 }, NOW + 1);
    const again = act(revised, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter still' }, NOW + 2);
    // when the form opened on revision 1 is sent
    const decided = decide(again, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT, revision: 1 }, NOW + 3);
    // then it says so, without asking the flagger to decide on a card
    expect(decided).toEqual({ ok: false, code: 'stale_revision', message: 'This form was opened on revision 1; revision 2 was posted since. Nothing was changed.' });
  });

  test('the flagger cannot revise a moment nobody asked to change: approvals already given would silently stop counting', () => {
    // given a pending moment that needs two brand approvals, one already given
    const view = approve(flagged(topic({ require: { brand: 2 } })), PEOPLE.ana, NOW);
    // when the flagger sends new copy without changes being requested
    const decided = decide(view, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Other copy' } }, NOW + 1);
    // then it is refused, and ana's approval still stands
    expect(decided).toEqual({
      ok: false,
      code: 'not_waiting_for_changes',
      message: 'Nobody asked for changes to this moment: the reviewers are deciding on the copy as it is.',
    });
  });
});

describe('escalate', () => {
  test('a reviewer escalates to the next tier, with a trimmed comment and a fresh window', () => {
    // given a crisis moment at tier 0
    const view = flagged(CRISIS);
    // when comms escalates
    const decided = decide(view, { kind: 'escalate', actor: actor(PEOPLE.cal), comment: ' Need a lead ' }, NOW);
    // then tier 1 starts now for ten minutes
    expect(decided).toEqual({
      ok: true,
      events: [
        {
          type: 'escalated',
          decision: { userId: PEOPLE.cal, role: 'comms', action: 'escalate', comment: 'Need a lead', revision: 1, tier: 0, at: NOW },
          fromTier: 0,
          toTier: 1,
          dueAt: NOW + 10 * MINUTE,
          seated: [],
        },
      ],
    });
  });

  test('the flagger may escalate although not a reviewer; a blank comment is dropped', () => {
    // given a pending moment; when the flagger escalates with a blank comment
    const decided = decide(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.flagger), comment: '   ' }, NOW);
    // then the escalation carries no role and no comment
    expect(decided.ok && decided.events[0]).toMatchObject({
      type: 'escalated',
      decision: { userId: PEOPLE.flagger, role: undefined, comment: undefined },
      toTier: 1,
    });
  });

  test('a press from a tier the moment has left is refused: a second press, or a stale card, never skips a tier', () => {
    // given the flagger's first press took a crisis moment from tier 0 to tier 1
    const once = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.flagger), fromTier: 0 }, NOW);
    expect(once.moment.tier).toBe(1);
    // when the same press (from tier 0) arrives again
    const again = decide(once, { kind: 'escalate', actor: actor(PEOPLE.flagger), fromTier: 0 }, NOW + 1);
    // then it is refused, naming the tier the moment is at; a press from tier 1 still goes on to tier 2
    expect(again).toEqual({ ok: false, code: 'stale_tier', message: expect.stringContaining('already escalated to "leads"') });
    const fromOne = decide(once, { kind: 'escalate', actor: actor(PEOPLE.flagger), fromTier: 1 }, NOW + 1);
    expect(fromOne.ok && fromOne.events[0]).toMatchObject({ type: 'escalated', fromTier: 1, toTier: 2 });
  });

  test('an escalation with the directory seats who joined the next tier since the flag, and skips a tier whose people all left', () => {
    // given a crisis moment flagged when the leads were the lead alone
    const view = flagged(CRISIS);
    const rosterWith = (leads: readonly string[]) => ({ members: new Map(Object.entries({ ...MEMBERS, leads })), unread: new Set<string>() });
    // when comms escalates after a newcomer joined the leads, then the newcomer is seated at tier 1
    const joined = decide(view, { kind: 'escalate', actor: actor(PEOPLE.cal), roster: rosterWith([PEOPLE.lead, 'U0NEWLEAD']) }, NOW);
    expect(joined.ok && joined.events[0]).toMatchObject({ toTier: 1, seated: [{ tier: 1, role: 'leads', userId: 'U0NEWLEAD' }] });
    // when comms escalates after the lead left the leads, then the execs are asked instead
    const left = decide(view, { kind: 'escalate', actor: actor(PEOPLE.cal), roster: rosterWith([]) }, NOW);
    expect(left.ok && left.events[0]).toMatchObject({ toTier: 2, seated: [] });
  });

  test('a flagger who reviews their own topic cannot ask for changes to their own moment unless self-approval counts', () => {
    const own = flagged(topic(), { flaggerId: PEOPLE.ana });
    const refused = decide(own, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Let me edit' }, NOW);
    expect(!refused.ok && refused.code).toBe('own_request');
    const selfApproving = flagged(topic({ selfApproval: true }), { flaggerId: PEOPLE.ana });
    expect(decide(selfApproving, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Let me edit' }, NOW).ok).toBe(true);
  });

  test('a reviewer of a tier the moment has left is told it was escalated, not that it never was theirs', () => {
    // given a crisis moment escalated by cal to the leads
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    // when leo (legal, tier 0) presses Approve on his old DM, or an outsider does
    const leo = decide(escalated, { kind: 'approve', actor: actor(PEOPLE.leo) }, NOW + 1);
    const outsider = decide(escalated, { kind: 'approve', actor: actor(PEOPLE.outsider) }, NOW + 1);
    // then leo hears where it went; the outsider that it is not theirs
    expect(!leo.ok && [leo.code, leo.message]).toEqual(['stale_tier', expect.stringContaining('escalated to "leads"')]);
    expect(!outsider.ok && outsider.message).toContain('not yours');
  });

  test('an outsider cannot escalate', () => {
    const decided = decide(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.outsider) }, NOW);
    expect(!decided.ok && decided.code).toBe('not_reviewer');
  });

  test('at the last tier, and for a topic without escalation, there is no higher tier', () => {
    // given a crisis moment escalated twice (tier 2, execs), and a topic with escalate_to []
    const atLast = act(act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW), { kind: 'escalate', actor: actor(PEOPLE.lead) }, NOW + 1);
    expect(atLast.moment.tier).toBe(2);
    const flat = flagged(topic({ escalateTo: [] }));
    // when someone escalates
    const refusals = [decide(atLast, { kind: 'escalate', actor: actor(PEOPLE.boss) }, NOW + 2), decide(flat, { kind: 'escalate', actor: actor(PEOPLE.ana) }, NOW)];
    // then both are refused, each saying why: the moment is with the last role, or its topic names nobody
    expect(refusals).toEqual([
      { ok: false, code: 'no_higher_tier', message: 'This moment is already with "execs", the last it can be escalated to.' },
      { ok: false, code: 'no_higher_tier', message: 'There is nobody to escalate this moment to: its topic names no one to escalate to in the routing file.' },
    ]);
  });

  test('escalating to a tier with no members at all (an empty user group) is refused, and the moment stays where it is', () => {
    // given a moment whose only escalation tier, the leads, resolved to nobody
    const view = flagged(topic(), { members: { ...MEMBERS, leads: [] } });
    // when a reviewer presses Escalate
    const decided = decide(view, { kind: 'escalate', actor: actor(PEOPLE.ana), fromTier: 0 }, NOW);
    // then it is refused, saying why and that tier 0 still decides
    expect(decided).toEqual({
      ok: false,
      code: 'nobody_at_next_tier',
      message: 'Nobody it could be escalated to can decide: nobody in "leads" could approve this moment. It stays with its reviewers now.',
    });
  });

  test('escalating to a tier whose only member is the flagger is refused, saying their own approval does not count', () => {
    // given the lead flags a moment whose only escalation tier is the leads
    const view = flagged(topic(), { flaggerId: PEOPLE.lead });
    // when the lead presses Escalate on their own moment
    const decided = decide(view, { kind: 'escalate', actor: actor(PEOPLE.lead), fromTier: 0 }, NOW);
    // then it is refused
    expect(decided).toEqual({
      ok: false,
      code: 'nobody_at_next_tier',
      message:
        'Nobody it could be escalated to can decide: nobody in "leads" could approve this moment other than its flagger, whose own approval does not count. ' +
        'It stays with its reviewers now.',
    });
  });

  test('the refusal names the flagger by who holds the next tier now: the flagger who joined the leads since the flag', () => {
    // given the leads were nobody at the flag, and the flagger has joined them since
    const view = flagged(topic(), { members: { ...MEMBERS, leads: [] } });
    const roster = { members: new Map(Object.entries({ ...MEMBERS, leads: [PEOPLE.flagger] })), unread: new Set<string>() };
    // when ana presses Escalate, then it is refused, and the reason is the flagger's own approval
    const decided = decide(view, { kind: 'escalate', actor: actor(PEOPLE.ana), fromTier: 0, roster }, NOW);
    expect(!decided.ok && decided.message).toContain('other than its flagger');
  });

  test('an escalation skips a tier nobody can decide in and goes to the next one that has someone', () => {
    // given a crisis moment whose leads resolved to nobody; the execs have the boss
    const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [] } });
    // when comms escalates
    const after = act(view, { kind: 'escalate', actor: actor(PEOPLE.cal), fromTier: 0 }, NOW);
    // then the moment is at tier 2, where the boss decides alone
    expect(after.moment.tier).toBe(2);
    expect(approve(after, PEOPLE.boss, NOW + 1).moment.state.status).toBe('approved');
  });

  test('after escalation one member of the tier decides alone, and tier-0 reviewers no longer can', () => {
    // given a crisis moment escalated to the leads
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    // when comms tries to approve, then it is not theirs any more
    const calPress = decide(escalated, { kind: 'approve', actor: actor(PEOPLE.cal) }, NOW + 1);
    expect(!calPress.ok && calPress.code).toBe('stale_tier');
    // when the lead approves alone, then it is approved
    const afterLead = approve(escalated, PEOPLE.lead, NOW + 2);
    expect(afterLead.moment.state).toEqual({ status: 'approved', by: PEOPLE.lead, comment: undefined, at: NOW + 2 });
    expect(afterLead.decisions.at(-1)).toMatchObject({ role: 'leads', tier: 1 });
  });

  test('escalating while changes are requested is refused', () => {
    const waiting = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.cal), comment: 'Shorter' }, NOW);
    const decided = decide(waiting, { kind: 'escalate', actor: actor(PEOPLE.flagger) }, NOW + 1);
    expect(decided).toEqual({ ok: false, code: 'not_pending', message: 'Only a moment waiting for a decision can be escalated.' });
  });
});

describe('withdraw', () => {
  test('the flagger withdraws a pending moment', () => {
    // given a pending moment; when the flagger withdraws
    const after = act(flagged(), { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, NOW);
    // then it is withdrawn by them, and the log says so
    expect(after.moment.state).toEqual({ status: 'withdrawn', by: PEOPLE.flagger, comment: undefined, at: NOW });
    expect(after.decisions).toEqual([{ userId: PEOPLE.flagger, role: undefined, action: 'withdraw', comment: undefined, revision: 1, tier: 0, at: NOW }]);
  });

  test('nobody but the flagger may withdraw, not even a reviewer', () => {
    // given a pending moment; when a reviewer withdraws; then not_flagger
    const view = flagged(topic(), { members: MEMBERS });
    const decided = decide(view, { kind: 'withdraw', actor: actor(PEOPLE.ana) }, NOW);
    expect(decided).toEqual({ ok: false, code: 'not_flagger', message: 'Only the person who flagged this moment can withdraw it.' });
  });
});

describe("a press on a button carrying another moment's stamp", () => {
  test('is refused before anything else is said of this moment; a button without a stamp, or a moment without one, is taken as it was', () => {
    const stamped: MomentView = { ...flagged(), moment: { ...flagged().moment, stamp: 'e979b737' } };
    const approve = (stamp: string | undefined, view: MomentView = stamped) => decide(view, pressedOn({ kind: 'approve', actor: actor(PEOPLE.ana) }, stamp), NOW + 1);
    // given moment 1 stamped e979b737; when a press carries another moment's stamp, then nothing is decided
    expect(approve('00c0ffee')).toEqual({ ok: false, code: 'other_moment', message: OTHER_MOMENT });
    // also once this moment has ended: the press was never about it
    const ended = act(stamped, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, NOW);
    expect(approve('00c0ffee', ended)).toMatchObject({ ok: false, code: 'other_moment' });
    // its own stamp, none (a button posted before stamps), or a moment stored before stamps: decided as before
    expect(approve('e979b737').ok).toBe(true);
    expect(approve(undefined).ok).toBe(true);
    expect(approve('00c0ffee', flagged()).ok).toBe(true);
  });
});
