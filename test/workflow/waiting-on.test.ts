import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { waitingOn } from '../../src/workflow/moment-view';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

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
  recordFlag(m.store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, `flag:${n}`, T0 + n);
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
