import { holdsCurrentTierRole, undecidedReviewers } from '../../src/core/policy';
import { act, actor, CRISIS, flagged, MEMBERS, PEOPLE, T0 } from './fixtures';

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
