import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { waitsOn } from '../../src/core/policy';
import { loadView, rolesWaitingOn, waitingOn } from '../../src/workflow/moment-view';
import { actor, CONTENT, CRISIS, flagged, MEMBERS, membersFrom, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, storedMoment, type MemoryStore } from '../store/store-fixtures';

/** What waits on a person (App Home): decided by the policy, read page by page from the store. */

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

function flagCrisis(n: number): void {
  const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  recordFlag(m.store, { ...flag, content: { ...CONTENT, title: `Moment ${n}` } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, `flag:${n}`, T0 + n);
}

test('an older moment still waiting on a busy reviewer is found behind many newer ones they already approved', () => {
  // given one crisis moment comms has not decided, then 60 newer ones comms approved (still waiting on legal)
  flagCrisis(1);
  for (let n = 2; n <= 61; n += 1) {
    flagCrisis(n);
    runCommand(m.store, n, { kind: 'approve', actor: actor(PEOPLE.cal) }, { userId: PEOPLE.cal, channel: undefined, responseUrl: undefined }, `a:${n}`, T0 + 100 + n);
  }
  // then the first still waits on comms; all 61 wait on legal, newest first, twenty at a time
  expect(waitingOn(m.store, PEOPLE.cal, 20)).toEqual([1]);
  const legal = waitingOn(m.store, PEOPLE.leo, 20);
  expect(legal).toHaveLength(20);
  expect(legal[0]).toBe(61);
  expect(legal.at(-1)).toBe(42);
});

test("a moment waits on someone only through a role the directory still gives them", () => {
  // given a crisis moment waiting on comms (cal) and legal (leo)
  flagCrisis(1);
  // then leo, whom the directory no longer puts in legal, has nothing waiting; in legal (or unknown) he has it
  expect(waitingOn(m.store, PEOPLE.leo, 20, new Set())).toEqual([]);
  expect(waitingOn(m.store, PEOPLE.leo, 20, new Set(['comms']))).toEqual([]);
  expect(waitingOn(m.store, PEOPLE.leo, 20, new Set(['legal']))).toEqual([1]);
  expect(waitingOn(m.store, PEOPLE.leo, 20)).toEqual([1]);
  // and the others' roles do not matter for him: cal's moment still waits on cal with comms alone
  expect(waitingOn(m.store, PEOPLE.cal, 20, new Set(['comms']))).toEqual([1]);
});

test('reading only the person\'s and the approvers\' seats gives the answer the whole moment gives, older approvals too', () => {
  // given crisis moments where cal is in comms and legal beside bea (comms) and leo (legal), and approvals by bea, by cal
  // holding both roles, and one stored before approvals kept the roles held (no held roles: every assigned one counts)
  const members = membersFrom({ ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal, PEOPLE.leo] });
  const reply = { userId: PEOPLE.flagger, channel: undefined, responseUrl: undefined };
  for (let n = 1; n <= 4; n += 1) recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title: `Moment ${n}` }, topic: CRISIS, source: undefined }, members, reply, `f:${n}`, T0 + n);
  runCommand(m.store, 2, { kind: 'approve', actor: actor(PEOPLE.bea, ['comms']) }, reply, 'a:2', T0 + 10);
  runCommand(m.store, 3, { kind: 'approve', actor: actor(PEOPLE.cal, ['comms', 'legal']) }, reply, 'a:3', T0 + 11);
  m.store.reviews.appendDecision(4, { userId: PEOPLE.cal, role: 'comms', action: 'approve', comment: undefined, revision: 1, tier: 0, at: T0 + 12 });
  // (and one where cal is in legal only, and approved before roles held were kept: his assignment says which seat)
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title: 'Moment 5' }, topic: CRISIS, source: undefined }, membersFrom({ ...MEMBERS, comms: [PEOPLE.bea], legal: [PEOPLE.cal, PEOPLE.leo] }), reply, 'f:5', T0 + 5);
  m.store.reviews.appendDecision(5, { userId: PEOPLE.cal, role: 'legal', action: 'approve', comment: undefined, revision: 1, tier: 0, at: T0 + 13 });
  // then, for each person and each set of roles the directory may give them, what waits on them is what the whole
  // moments say
  for (const userId of [PEOPLE.cal, PEOPLE.bea, PEOPLE.leo]) {
    for (const roles of [undefined, new Set(['comms']), new Set(['legal']), new Set(['comms', 'legal'])]) {
      const whole = [5, 4, 3, 2, 1].filter((id) => {
        const view = loadView(m.store, id);
        return view !== undefined && waitsOn(view, userId, roles);
      });
      expect(waitingOn(m.store, userId, 20, roles)).toEqual(whole);
    }
  }
  // and the narrowed read holds only those seats
  expect(m.store.reviews.seatsOfManyFor([2], PEOPLE.leo).get(2)?.map((a) => `${a.role}:${a.userId}`).sort()).toEqual([`comms:${PEOPLE.bea}`, `legal:${PEOPLE.leo}`]);
});

test('the roles a moment waits on a person in are those still open to them: not a role filled, nor one they left', () => {
  // given cal in comms and legal on a crisis moment (comms 1, legal 1), and leo approved it in legal
  const view = flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } });
  const stored = storedMoment(m.store, view);
  expect(rolesWaitingOn(m.store, [stored.moment.id], PEOPLE.cal).get(stored.moment.id)).toEqual(['comms', 'legal']);
  m.store.reviews.appendDecision(stored.moment.id, { userId: PEOPLE.leo, role: 'legal', action: 'approve', comment: undefined, revision: 1, tier: 0, at: T0 });
  // then it waits on cal as comms only; and as nothing once he is out of comms
  expect(rolesWaitingOn(m.store, [stored.moment.id], PEOPLE.cal).get(stored.moment.id)).toEqual(['comms']);
  expect(rolesWaitingOn(m.store, [stored.moment.id], PEOPLE.cal, new Set(['legal'])).get(stored.moment.id)).toEqual([]);
});
