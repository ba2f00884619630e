import { decide } from '../../src/core/decide';
import { act, actor, applyEvents, approve, CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from './fixtures';

const NOW = T0 + 5 * MINUTE;

describe('approve', () => {
  test('one approval from the only required role approves the moment and records who, role, revision, tier and time', () => {
    // given a moment that needs one brand approval
    const view = flagged(topic({ require: { brand: 1 } }));
    // when a brand reviewer approves
    const decided = decide(view, { kind: 'approve', actor: actor(PEOPLE.ana) }, NOW);
    // then the approval is recorded and the moment is approved by that person
    expect(decided).toEqual({
      ok: true,
      events: [
        {
          type: 'approval_recorded',
          decision: { userId: PEOPLE.ana, role: 'brand', action: 'approve', comment: undefined, revision: 1, tier: 0, at: NOW, heldRoles: ['brand'] },
        },
        { type: 'approved', by: PEOPLE.ana, at: NOW },
      ],
    });
  });

  test('a role that needs two approvals waits for a second, distinct person', () => {
    // given brand needs two approvals
    const view = flagged(topic({ require: { brand: 2 } }));
    // when the first brand reviewer approves
    const first = decide(view, { kind: 'approve', actor: actor(PEOPLE.ana) }, NOW);
    // then only the approval is recorded
    expect(first.ok && first.events.map((e) => e.type)).toEqual(['approval_recorded']);
    // and when the second brand reviewer approves, the moment is approved by them
    const after = approve(view, PEOPLE.ana, NOW);
    const second = decide(after, { kind: 'approve', actor: actor(PEOPLE.bea) }, NOW + 1);
    expect(second.ok && second.events.map((e) => e.type)).toEqual(['approval_recorded', 'approved']);
    expect(applyEvents(after, second.ok ? second.events : []).moment.state).toEqual({
      status: 'approved',
      by: PEOPLE.bea,
      comment: undefined,
      at: NOW + 1,
    });
  });

  test('with comms 1 and legal 1 required, comms alone does not approve; legal then does', () => {
    // given a crisis moment (comms 1 + legal 1)
    const view = flagged(CRISIS);
    // when comms approves
    const afterComms = approve(view, PEOPLE.cal, NOW);
    // then it is still pending, with the approval counted for comms
    expect(afterComms.moment.state.status).toBe('pending');
    expect(afterComms.decisions.map((d) => [d.userId, d.role])).toEqual([[PEOPLE.cal, 'comms']]);
    // when legal approves too, then it is approved
    const decided = decide(afterComms, { kind: 'approve', actor: actor(PEOPLE.leo) }, NOW + 1);
    expect(decided.ok && decided.events.map((e) => e.type)).toEqual(['approval_recorded', 'approved']);
  });

  test('one person holding both required roles counts once, and approving again is refused', () => {
    // given cal is in comms and in legal, and leo is in legal
    const view = flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.cal, PEOPLE.leo] } });
    // when cal approves
    const afterCal = approve(view, PEOPLE.cal, NOW);
    // then the moment still waits (one person fills one role)
    expect(afterCal.moment.state.status).toBe('pending');
    // and cal's second press is refused
    const again = decide(afterCal, { kind: 'approve', actor: actor(PEOPLE.cal) }, NOW + 1);
    expect(again).toEqual({ ok: false, code: 'already_approved', message: 'You already approved this version. Nothing more is needed from you.' });
    // and leo's approval completes it
    expect(approve(afterCal, PEOPLE.leo, NOW + 2).moment.state.status).toBe('approved');
  });

  test('two distinct people who can fill comms and legal approve the moment whatever order they press in', () => {
    // given cal holds comms and legal, and bea holds comms only
    const view = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal] } });
    // when cal approves first, then bea
    const after = approve(approve(view, PEOPLE.cal, NOW), PEOPLE.bea, NOW + 1);
    // then cal counts for legal and bea for comms: approved
    expect(after.moment.state.status).toBe('approved');
    expect(after.decisions.map((d) => [d.userId, d.role])).toEqual([
      [PEOPLE.cal, 'comms'],
      [PEOPLE.bea, 'comms'],
    ]);
  });

  test('the reverse order of the same two people approves the moment', () => {
    // given cal holds comms and legal, and bea holds comms only
    const view = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal] } });
    // when bea approves first, then cal
    const after = approve(approve(view, PEOPLE.bea, NOW), PEOPLE.cal, NOW + 1);
    // then cal's approval counts for the role still open
    expect(after.decisions.map((d) => [d.userId, d.role])).toEqual([
      [PEOPLE.bea, 'comms'],
      [PEOPLE.cal, 'legal'],
    ]);
    expect(after.moment.state.status).toBe('approved');
  });

  test('the flagger who is also a reviewer cannot approve their own moment', () => {
    // given the flagger is a brand member and self-approval is off
    const view = flagged(topic(), { members: { ...MEMBERS, brand: [PEOPLE.flagger, PEOPLE.ana] } });
    // when the flagger approves
    const decided = decide(view, { kind: 'approve', actor: actor(PEOPLE.flagger) }, NOW);
    // then it is refused and nothing happens
    expect(decided).toEqual({
      ok: false,
      code: 'own_approval',
      message: 'You flagged this moment, so your own approval does not count. Another reviewer has to approve it.',
    });
  });

  test('the flagger who is also a reviewer cannot reject their own moment either: they withdraw it', () => {
    const own = flagged(topic(), { flaggerId: PEOPLE.ana });
    const decided = decide(own, { kind: 'reject', actor: actor(PEOPLE.ana), reason: 'Changed my mind' }, NOW);
    expect(decided).toEqual({ ok: false, code: 'own_reject', message: expect.stringContaining('withdraw it') });
    // with self-approval on, they review it like anyone, and may reject it
    const allowed = flagged(topic({ selfApproval: true }), { flaggerId: PEOPLE.ana });
    expect(decide(allowed, { kind: 'reject', actor: actor(PEOPLE.ana), reason: 'No' }, NOW).ok).toBe(true);
  });

  test('with self-approval on, the flagger who is a reviewer approves their own moment', () => {
    // given the flagger is a brand member and self_approval is true
    const view = flagged(topic({ selfApproval: true }), { members: { ...MEMBERS, brand: [PEOPLE.flagger] } });
    // when the flagger approves
    const after = approve(view, PEOPLE.flagger, NOW);
    // then it counts
    expect(after.moment.state).toEqual({ status: 'approved', by: PEOPLE.flagger, comment: undefined, at: NOW });
  });

  test('someone who is not assigned is told it is not theirs to decide', () => {
    // given a pending moment
    const view = flagged();
    // when an outsider approves
    const decided = decide(view, { kind: 'approve', actor: actor(PEOPLE.outsider) }, NOW);
    // then it is refused with not_reviewer
    expect(decided).toEqual({
      ok: false,
      code: 'not_reviewer',
      message: 'This one is not yours to decide: only the reviewers assigned to this moment can approve or reject it.',
    });
  });

  test('a reviewer the directory no longer lists in the role cannot approve', () => {
    // given ana was assigned as brand, but the directory now lists her in no role
    const view = flagged();
    // when she approves
    const decided = decide(view, { kind: 'approve', actor: actor(PEOPLE.ana, ['comms']) }, NOW);
    // then she is not a reviewer any more, and told why (not that she was never assigned)
    expect(decided).toEqual({ ok: false, code: 'not_reviewer', message: 'You are no longer in the "brand" role, so this moment is not yours to decide: nothing more is needed from you.' });
  });

  test('a reviewer taken out of the five roles they were asked in is told so in words that read', () => {
    // given cal was asked in five roles, and the directory now lists him in none
    const roles = ['brand', 'comms', 'legal', 'social', 'finance'];
    const view = flagged(topic({ require: Object.fromEntries(roles.map((r) => [r, 1])) }), { members: Object.fromEntries(roles.map((r) => [r, [PEOPLE.cal, `U0${r.toUpperCase()}`]])) });
    // when he approves, then he is told he is in none of them, naming three and counting the rest
    const decided = decide(view, { kind: 'approve', actor: actor(PEOPLE.cal, []) }, NOW);
    expect(decided).toEqual({
      ok: false,
      code: 'not_reviewer',
      message: 'You are no longer in any of the roles you were asked in ("brand", "comms", "legal" and 2 other roles), so this moment is not yours to decide: nothing more is needed from you.',
    });
  });

  test('a reviewer the directory still lists in the role approves, and so does one the directory does not know about', () => {
    // given a pending moment that needs two brand approvals
    const view = flagged(topic({ require: { brand: 2 } }));
    // when ana (still brand) and bea (roles unknown: trust the assignment) approve
    const afterAna = act(view, { kind: 'approve', actor: actor(PEOPLE.ana, ['brand']) }, NOW);
    const afterBea = act(afterAna, { kind: 'approve', actor: actor(PEOPLE.bea) }, NOW + 1);
    // then both count
    expect(afterBea.moment.state.status).toBe('approved');
  });

  test('an approval fills only a seat of a role its person held when pressing, not one they had left', () => {
    // given a crisis moment (comms 1 + legal 1) with cal asked in comms and legal, bea in comms, leo in legal
    const view = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal, PEOPLE.leo] } });
    // when cal, who has since left legal, approves (for comms), and then bea approves for comms
    const afterCal = act(view, { kind: 'approve', actor: actor(PEOPLE.cal, ['comms']) }, NOW);
    const decided = decide(afterCal, { kind: 'approve', actor: actor(PEOPLE.bea, ['comms']) }, NOW + 1);
    // then nobody in legal has approved: the moment still waits for legal (cal's approval does not move to legal's seat)
    expect(decided.ok && decided.events.map((e) => e.type)).toEqual(['approval_recorded']);
    const afterBea = act(afterCal, { kind: 'approve', actor: actor(PEOPLE.bea, ['comms']) }, NOW + 1);
    expect(afterBea.moment.state.status).toBe('pending');
    // and leo's legal approval completes it
    expect(act(afterBea, { kind: 'approve', actor: actor(PEOPLE.leo, ['legal']) }, NOW + 2).moment.state.status).toBe('approved');
  });

  test('an approval given while holding a role still fills its seat after the person leaves it', () => {
    // given cal, asked in comms and legal, approves while holding both, then leaves legal
    const view = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal, PEOPLE.leo] } });
    const afterCal = act(view, { kind: 'approve', actor: actor(PEOPLE.cal, ['comms', 'legal']) }, NOW);
    // when bea approves for comms
    const afterBea = act(afterCal, { kind: 'approve', actor: actor(PEOPLE.bea, ['comms']) }, NOW + 1);
    // then cal's approval, given as legal, fills legal's seat: the moment is approved
    expect(afterBea.moment.state.status).toBe('approved');
  });

  test('a press on an older revision of the card is refused as stale', () => {
    // given the moment is on revision 2
    const view = flagged();
    const revised = act(
      act(view, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Tone it down' }, NOW),
      { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Softer copy' } },
      NOW + 1,
    );
    expect(revised.moment.revision).toBe(2);
    // when a reviewer presses Approve on the revision-1 card
    const decided = decide(revised, { kind: 'approve', actor: actor(PEOPLE.bea), revision: 1 }, NOW + 2);
    // then it is refused as stale, and the same press on revision 2 is accepted
    expect(decided).toEqual({
      ok: false,
      code: 'stale_revision',
      message: 'This was shown on revision 1; the copy has changed since (revision 2). Decide on the latest card or your newest DM.',
    });
    expect(decide(revised, { kind: 'approve', actor: actor(PEOPLE.bea), revision: 2 }, NOW + 2).ok).toBe(true);
  });

  test('a press from a tier the moment has left is refused: an approval meant for the first tier never closes the next', () => {
    // given a crisis moment escalated from tier 0 (comms + legal) to the leads
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.flagger), fromTier: 0 }, NOW);
    expect(escalated.moment.tier).toBe(1);
    // when a lead's Approve, Reject or Request changes comes from a tier-0 card or DM (someone in both roles)
    const stale = [
      decide(escalated, { kind: 'approve', actor: actor(PEOPLE.lead), revision: 1, fromTier: 0 }, NOW + 1),
      decide(escalated, { kind: 'reject', actor: actor(PEOPLE.lead), reason: 'No', revision: 1, fromTier: 0 }, NOW + 1),
      decide(escalated, { kind: 'request_changes', actor: actor(PEOPLE.lead), comment: 'Shorter', revision: 1, fromTier: 0 }, NOW + 1),
    ];
    // then each is refused, naming the tier that decides now; the same press from the tier-1 card counts
    for (const decided of stale) {
      expect(decided).toEqual({ ok: false, code: 'stale_tier', message: expect.stringContaining('escalated to "leads"') });
    }
    const current = decide(escalated, { kind: 'approve', actor: actor(PEOPLE.lead), revision: 1, fromTier: 1 }, NOW + 1);
    expect(current.ok && current.events.map((e) => e.type)).toEqual(['approval_recorded', 'approved']);
    // and the lead, asked at tier 1 too, is sent to the latest card; cal, asked at tier 0 only, is told he is done
    expect(stale[0]).toMatchObject({ message: expect.stringContaining('Decide on the latest card.') });
    const leftBehind = decide(escalated, { kind: 'approve', actor: actor(PEOPLE.cal), revision: 1, fromTier: 0 }, NOW + 1);
    expect(leftBehind).toMatchObject({ ok: false, code: 'stale_tier', message: expect.stringContaining('Nothing more is needed from you.') });
    expect(leftBehind).not.toMatchObject({ message: expect.stringContaining('latest card') });
    // and someone never asked, pressing an old card, is told it is not theirs, not that they are done with it
    const outsider = decide(escalated, { kind: 'approve', actor: actor(PEOPLE.outsider), revision: 1, fromTier: 0 }, NOW + 1);
    expect(outsider).toMatchObject({ ok: false, code: 'not_reviewer', message: expect.stringContaining('not yours') });
  });

  test('approving while changes are requested is refused until the new revision', () => {
    // given changes were requested
    const view = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    // when another reviewer approves
    const decided = decide(view, { kind: 'approve', actor: actor(PEOPLE.bea) }, NOW + 1);
    // then it is refused as not pending
    expect(decided).toEqual({ ok: false, code: 'not_pending', message: `Changes were requested by <@${PEOPLE.ana}>: wait for the new revision before approving.` });
  });
});

describe('already final', () => {
  test('any press on an approved moment is refused and names who approved it, to those with a part in it', () => {
    // given ana approved the moment
    const view = approve(flagged(), PEOPLE.ana, NOW);
    // when bea or the flagger press anything
    for (const userId of [PEOPLE.bea, PEOPLE.flagger]) {
      const decided = decide(view, { kind: 'reject', actor: actor(userId), reason: 'no' }, NOW + 1);
      // then they are told it is already approved, by whom
      expect(decided).toEqual({ ok: false, code: 'already_final', message: `Already approved by <@${PEOPLE.ana}>. Nothing more to decide.` });
    }
    // and someone with no part in it (a press can be made up for any moment) learns nothing of how it ended
    expect(decide(view, { kind: 'reject', actor: actor(PEOPLE.outsider), reason: 'no' }, NOW + 1)).toMatchObject({ ok: false, code: 'not_reviewer' });
  });

  test('a rejected, an expired and a withdrawn moment each say why nothing more can be decided', () => {
    // given three closed moments
    const rejected = act(flagged(), { kind: 'reject', actor: actor(PEOPLE.bea), reason: 'Off brand' }, NOW);
    const withdrawn = act(flagged(), { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, NOW);
    const base = flagged(topic({ escalateTo: [] }));
    const expired = { ...base, moment: { ...base.moment, state: { status: 'expired' as const, by: undefined, comment: undefined, at: NOW } } };
    // when a reviewer approves each
    const messages = [rejected, expired, withdrawn].map((v) => {
      const decided = decide(v, { kind: 'approve', actor: actor(PEOPLE.ana) }, NOW + 1);
      return decided.ok ? 'accepted' : `${decided.code}: ${decided.message}`;
    });
    // then each is refused with its own sentence
    expect(messages).toEqual([
      `already_final: Already rejected by <@${PEOPLE.bea}>. Nothing more to decide.`,
      'already_final: This moment expired before it was approved. Nothing more to decide.',
      'already_final: The flagger withdrew this moment. Nothing more to decide.',
    ]);
  });

  test('a moment that expired waiting for the revision says so, not that nobody decided', () => {
    const asked = act(flagged(topic({ escalateTo: [] })), { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Shorter' }, NOW);
    const expired = { ...asked, moment: { ...asked.moment, state: { status: 'expired' as const, by: undefined, comment: undefined, at: NOW + 1 } } };
    expect(decide(expired, { kind: 'approve', actor: actor(PEOPLE.ana) }, NOW + 2)).toEqual({
      ok: false,
      code: 'already_final',
      message: 'This moment expired waiting for a new revision. Nothing more to decide.',
    });
  });
});
