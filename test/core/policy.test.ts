import { holdsAssignedRole, undecidedReviewers } from '../../src/core/policy';
import { CRISIS, flagged, PEOPLE } from './fixtures';

/** Who a moment still concerns, when the directory's word on roles is taken into account. */

test('a reviewer holds an assigned role while the directory gives them one they were assigned for, or does not know', () => {
  // given a crisis moment: comms (cal) and legal (leo) at tier 0, leads at tier 1
  const view = flagged(CRISIS);
  // then leo holds it with legal, not with comms only or with nothing; unknown roles are trusted
  expect(holdsAssignedRole(view, PEOPLE.leo, new Set(['legal']))).toBe(true);
  expect(holdsAssignedRole(view, PEOPLE.leo, new Set(['comms']))).toBe(false);
  expect(holdsAssignedRole(view, PEOPLE.leo, new Set())).toBe(false);
  expect(holdsAssignedRole(view, PEOPLE.leo, undefined)).toBe(true);
  // and a lead, assigned only at the next tier, holds it with leads; someone never assigned never does
  expect(holdsAssignedRole(view, PEOPLE.lead, new Set(['leads']))).toBe(true);
  expect(holdsAssignedRole(view, PEOPLE.outsider, new Set(['legal']))).toBe(false);
});

test('the undecided reviewers leave out anyone who no longer holds the role of their seat', () => {
  const view = flagged(CRISIS);
  expect(undecidedReviewers(view)).toEqual([PEOPLE.cal, PEOPLE.leo]);
  expect(undecidedReviewers(view, (userId, role) => !(userId === PEOPLE.leo && role === 'legal'))).toEqual([PEOPLE.cal]);
});
