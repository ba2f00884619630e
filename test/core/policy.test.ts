import fc from 'fast-check';
import { decide } from '../../src/core/decide';
import { isFinal } from '../../src/core/moment';
import {
  cardChangesWithRoster,
  currentAssignments,
  eligibleRoles,
  holdsCurrentTierRole,
  nextDecidingTier,
  reviewDmsChangingWithRoster,
  reviewersBackInRole,
  rolesLeftShort,
  rosterChangeConcerns,
  undecidedReviewers,
  waitsOn,
} from '../../src/core/policy';
import { changedRoles, rolesIn, type Roster } from '../../src/core/routing';
import { act, actor, applyEvents, approve, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from './fixtures';

function rosterOf(members: Readonly<Record<string, readonly string[]>>, unread: readonly string[] = []): Roster {
  return { members: new Map(Object.entries(members)), unread: new Set(unread) };
}

/** Who a moment still concerns, when the directory's word on roles is taken into account. */

test('a reviewer holds a role of the current tier while the directory gives them one they were assigned for there, or does not know', () => {
  // given a crisis moment: comms (cal) and legal (leo) at tier 0, leads at tier 1
  const view = flagged(CRISIS);
  // then leo holds it with legal, not with comms only or with nothing; unknown roles are trusted
  expect(holdsCurrentTierRole(view, PEOPLE.leo, new Set(['legal']))).toBe(true);
  expect(holdsCurrentTierRole(view, PEOPLE.leo, new Set(['comms']))).toBe(false);
  expect(holdsCurrentTierRole(view, PEOPLE.leo, new Set())).toBe(false);
  expect(holdsCurrentTierRole(view, PEOPLE.leo, undefined)).toBe(true);
  // and someone never assigned never does
  expect(holdsCurrentTierRole(view, PEOPLE.outsider, new Set(['legal']))).toBe(false);
});

test('a reviewer in two tiers holds the moment by the role of the tier it is at', () => {
  // given cal is in comms (tier 0) and in the leads (tier 1) at the flag
  const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [PEOPLE.cal] } });
  const escalated = act(view, { kind: 'escalate', actor: actor(PEOPLE.leo) }, T0 + 1);
  // then the lead role counts only once the moment is with the leads: cal who left the leads holds it at tier 0 only
  expect(holdsCurrentTierRole(view, PEOPLE.cal, new Set(['comms']))).toBe(true);
  expect(holdsCurrentTierRole(escalated, PEOPLE.cal, new Set(['comms']))).toBe(false);
  expect(holdsCurrentTierRole(escalated, PEOPLE.cal, new Set(['comms', 'leads']))).toBe(true);
});

test('the undecided reviewers leave out anyone who no longer holds the role of their seat', () => {
  const view = flagged(CRISIS);
  expect(undecidedReviewers(view)).toEqual([PEOPLE.cal, PEOPLE.leo]);
  expect(undecidedReviewers(view, (userId, role) => !(userId === PEOPLE.leo && role === 'legal'))).toEqual([PEOPLE.cal]);
});

describe('cardChangesWithRoster', () => {
  const before = rosterOf(MEMBERS);

  test('an awaited reviewer who leaves their role changes the card; someone who already approved does not', () => {
    // given a crisis moment at tier 0 (cal in comms, leo in legal), leo having approved
    const view = approve(flagged(CRISIS), PEOPLE.leo, T0 + MINUTE);
    // then cal leaving comms shows (no longer awaited), leo leaving legal does not (listed as approved either way)
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, comms: [] }))).toBe(true);
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, legal: [] }))).toBe(false);
    // and a role Slack can no longer be asked about keeps its people awaited: no change
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, comms: [] }, ['comms']))).toBe(false);
  });

  test('the tier Escalate would reach changes the card while the moment is pending', () => {
    const view = flagged(CRISIS);
    // the leads emptied: Escalate now reaches the execs (tier 2), then nobody once they are gone too
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, leads: [] }))).toBe(true);
    expect(cardChangesWithRoster(view, rosterOf({ ...MEMBERS, leads: [] }), rosterOf({ ...MEMBERS, leads: [], execs: [] }))).toBe(true);
    // the leads refilled from nobody: Escalate comes back
    expect(cardChangesWithRoster(view, rosterOf({ ...MEMBERS, leads: [], execs: [] }), rosterOf({ ...MEMBERS, execs: [] }))).toBe(true);
    // a newcomer in the leads, the next tier staffed before and after: nothing the card shows
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, leads: [PEOPLE.lead, PEOPLE.bea] }))).toBe(false);
  });

  test('a change in a role the moment does not use, or on a closed moment, changes nothing', () => {
    const view = flagged(CRISIS);
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, brand: [] }))).toBe(false);
    const closed = approve(approve(view, PEOPLE.cal, T0 + MINUTE), PEOPLE.leo, T0 + 2 * MINUTE);
    expect(closed.moment.state.status).toBe('approved');
    expect(cardChangesWithRoster(closed, before, rosterOf({ ...MEMBERS, comms: [], leads: [] }))).toBe(false);
  });

  test('with changes requested, the awaited list still follows the roster but Escalate is not offered', () => {
    const view = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'shorter' }, T0 + MINUTE);
    expect(view.moment.state.status).toBe('changes_requested');
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, leads: [] }))).toBe(false);
    expect(cardChangesWithRoster(view, before, rosterOf({ ...MEMBERS, comms: [] }))).toBe(true);
  });
});

describe('reviewersBackInRole', () => {
  test('a reviewer asked in a role they had left and now hold again is back; someone who never left, or is still out, is not', () => {
    // given a crisis moment at tier 0: cal in comms, leo in legal
    const view = flagged(CRISIS);
    const legalEmpty = rosterOf({ ...MEMBERS, legal: [] });
    // then leo is back once legal lists him again, and only then
    expect(reviewersBackInRole(view, legalEmpty, rosterOf(MEMBERS))).toEqual([PEOPLE.leo]);
    expect(reviewersBackInRole(view, legalEmpty, legalEmpty)).toEqual([]);
    expect(reviewersBackInRole(view, rosterOf(MEMBERS), legalEmpty)).toEqual([]);
    // and nobody is back on a moment that no longer waits for a decision
    const withdrawn = act(view, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, T0 + MINUTE);
    expect(reviewersBackInRole(withdrawn, legalEmpty, rosterOf(MEMBERS))).toEqual([]);
  });
});

describe('rolesLeftShort', () => {
  test('a role whose only awaited reviewer left it is short; one already approved or still staffed is not', () => {
    // given a crisis moment at tier 0: cal in comms, leo in legal
    const view = flagged(CRISIS);
    // then nothing is short while both are in their roles, or while Slack cannot be asked about legal
    expect(rolesLeftShort(view, rosterOf(MEMBERS))).toEqual([]);
    expect(rolesLeftShort(view, rosterOf({ ...MEMBERS, legal: [] }, ['legal']))).toEqual([]);
    // and legal is short once leo has left it, but not once leo had approved before leaving
    expect(rolesLeftShort(view, rosterOf({ ...MEMBERS, legal: [] }))).toEqual(['legal']);
    expect(rolesLeftShort(approve(view, PEOPLE.leo, T0 + MINUTE), rosterOf({ ...MEMBERS, legal: [] }))).toEqual([]);
  });

  test('two approvals needed and one person left who has not approved: short by one', () => {
    // given brand needs two of ana, bea and cal; ana approved, then bea left
    const view = approve(flagged(topic({ require: { brand: 2 } }), { members: { ...MEMBERS, brand: [PEOPLE.ana, PEOPLE.bea, PEOPLE.cal] } }), PEOPLE.ana, T0 + MINUTE);
    expect(rolesLeftShort(view, rosterOf({ ...MEMBERS, brand: [PEOPLE.ana, PEOPLE.cal] }))).toEqual([]);
    // then brand is short only once cal is gone too
    expect(rolesLeftShort(view, rosterOf({ ...MEMBERS, brand: [PEOPLE.ana] }))).toEqual(['brand']);
  });

  test('someone who approved for one role moves to another they hold: nothing is short while another can fill the first', () => {
    // given comms has cal and bea, legal only cal; cal approves (seated in comms), nobody leaves
    const members = { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal] };
    const view = approve(flagged(CRISIS, { members }), PEOPLE.cal, T0 + MINUTE);
    // then legal is not short: bea's comms approval completes the moment, cal moving over to legal
    expect(rolesLeftShort(view, rosterOf(members))).toEqual([]);
    expect(approve(view, PEOPLE.bea, T0 + 2 * MINUTE).moment.state.status).toBe('approved');
    // and bea is still waited on (reminded), though comms looked filled by cal
    expect(undecidedReviewers(view)).toEqual([PEOPLE.bea]);
    // and once bea leaves comms, the two roles are short together (cal can fill one; someone joining either helps)
    expect(rolesLeftShort(view, rosterOf({ ...members, comms: [PEOPLE.cal] }))).toEqual(['comms', 'legal']);
  });

  test('one person left in two roles can fill only one of them', () => {
    // given cal is in comms and legal, and leo leaves legal
    const view = flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } });
    expect(rolesLeftShort(view, rosterOf({ ...MEMBERS, legal: [PEOPLE.cal] }))).toEqual(['comms', 'legal']);
  });

  test('a moment that does not wait for a decision is never short', () => {
    const asked = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'shorter' }, T0 + MINUTE);
    expect(rolesLeftShort(asked, rosterOf({ ...MEMBERS, legal: [], comms: [] }))).toEqual([]);
  });
});

describe('the per-person and per-change shortcuts agree with their definitions', () => {
  // A crisis moment (comms 1 + legal 1, then leads, then execs) whose comms and legal are drawn from five people, some in
  // both; some of them approve, holding some of their roles; the directory's roster before and after a change.
  const FIVE = [PEOPLE.ana, PEOPLE.bea, PEOPLE.cal, PEOPLE.leo, PEOPLE.lead];
  const someOf = fc.subarray(FIVE, { minLength: 1 });
  const scenario = fc.record({
    comms: someOf,
    legal: someOf,
    approvals: fc.array(fc.record({ who: fc.constantFrom(...FIVE), holds: fc.subarray(['comms', 'legal']) }), { maxLength: 4 }),
    before: fc.record({ comms: fc.subarray(FIVE), legal: fc.subarray(FIVE), leads: fc.subarray(FIVE) }),
    after: fc.record({ comms: fc.subarray(FIVE), legal: fc.subarray(FIVE), leads: fc.subarray(FIVE) }),
    unread: fc.subarray(['comms', 'legal', 'leads']),
  });
  /** The moment after the approvals; the draw is skipped when comms and legal could not be staffed apart (no flag). */
  const viewOf = (s: { comms: string[]; legal: string[]; approvals: { who: string; holds: string[] }[] }) => {
    fc.pre(s.comms.some((c) => s.legal.some((l) => l !== c)));
    let view = flagged(CRISIS, { members: { ...MEMBERS, comms: s.comms, legal: s.legal } });
    for (const [i, a] of s.approvals.entries()) {
      const decided = decide(view, { kind: 'approve', actor: actor(a.who, a.holds) }, T0 + i + 1);
      if (decided.ok) view = applyEvents(view, decided.events);
    }
    return view;
  };

  test('waitsOn(person) is whether undecidedReviewers, with only their roles narrowed, lists them', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom(...FIVE), fc.option(fc.subarray(['comms', 'legal']), { nil: undefined }), (s, userId, roles) => {
        const view = viewOf(s);
        const held = roles === undefined ? undefined : new Set(roles);
        const byDefinition = view.moment.state.status === 'pending' && undecidedReviewers(view, (reviewer, role) => held === undefined || reviewer !== userId || held.has(role)).includes(userId);
        expect(waitsOn(view, userId, held)).toBe(byDefinition);
      }),
      { numRuns: 300 },
    );
  });

  test('reviewDmsChangingWithRoster reads each role held as rolesIn does, and a change it does not concern changes no card or DM', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const view = viewOf(s);
        const before = rosterOf({ ...MEMBERS, ...s.before });
        const after = rosterOf({ ...MEMBERS, ...s.after }, s.unread);
        const byDefinition = [...new Set(currentAssignments(view).map((a) => a.userId))].sort().filter((userId) => {
          const held = eligibleRoles(view, userId, rolesIn(before, userId));
          const holds = eligibleRoles(view, userId, rolesIn(after, userId));
          const differ = view.moment.state.status === 'pending' ? held.join('\n') !== holds.join('\n') : held.length > 0 !== holds.length > 0;
          const escalate = view.moment.state.status === 'pending' && nextDecidingTier(view, before) !== nextDecidingTier(view, after);
          return !isFinal(view.moment.state.status) && (differ || (escalate && holds.length > 0));
        });
        expect(reviewDmsChangingWithRoster(view, before, after)).toEqual(byDefinition);
        if (!rosterChangeConcerns(view.moment, changedRoles(before, after))) {
          expect(cardChangesWithRoster(view, before, after)).toBe(false);
          expect(reviewDmsChangingWithRoster(view, before, after)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('changedRoles', () => {
  test('names the roles with other people, read in one roster only, or known to one only; nothing for the same roster', () => {
    const before = rosterOf({ comms: [PEOPLE.cal], legal: [PEOPLE.leo], brand: [PEOPLE.ana, PEOPLE.bea] });
    expect([...changedRoles(before, rosterOf({ comms: [PEOPLE.cal], legal: [PEOPLE.leo], brand: [PEOPLE.bea, PEOPLE.ana] }))]).toEqual([]);
    const after = rosterOf({ comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.leo], leads: [PEOPLE.lead] }, ['legal']);
    expect([...changedRoles(before, after)].sort()).toEqual(['brand', 'comms', 'leads', 'legal']);
  });
});
