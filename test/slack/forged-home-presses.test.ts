import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/**
 * Made-up App Home presses: someone with no part in a moment edits a button's value in their own Home to its id (a
 * button without a stamp is taken, as older ones are) and presses. Nothing is recorded, and the refusal, a DM for a
 * press in App Home ("Moment #N *Title*: …" to those with a part), gives them neither its title nor how it ended.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // ana's crisis statement, reviewed in the crisis channel by comms (cal) and legal (leo): the outsider has no part in it
  await h.command(PEOPLE.ana, 'Recall statement: batch 42 is being recalled #crisis');
  await h.settle();
  expect(h.app.store.moments.get(1)?.content.title).toBe('Recall statement');
});
afterEach(async () => {
  await h.close();
});

function dmsTo(userId: string, from = 0): string[] {
  return h.standIn.messages(h.standIn.dmChannelFor(userId)).slice(from).map((m) => String(m.text));
}

test.each([
  ['Approve', ACTION.approve, '1:1'],
  ['Withdraw', ACTION.withdraw, '1:1'],
  ['Escalate', ACTION.escalate, '1:1:0'],
  ['Reject…', ACTION.reject, '1:1:0'],
  ['Revise…', ACTION.revise, '1:1'],
])("an outsider's forged Home %s on someone else's crisis does not DM them its title", async (_name, action, value) => {
  const before = dmsTo(PEOPLE.outsider).length;
  expect((await h.click(PEOPLE.outsider, action, value, { inHome: true })).status).toBe(200);
  await h.settle();
  // nothing recorded
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  expect(h.countRows('decisions')).toBe(0);
  // and the answer does not name the crisis
  const told = dmsTo(PEOPLE.outsider, before);
  expect(told.length).toBeGreaterThan(0);
  expect(told.join('\n')).not.toContain('Recall statement');
});

test("an outsider's forged Home press on an ended moment does not DM them its title or who decided", async () => {
  // cal and leo approve the crisis
  await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
  await h.click(PEOPLE.leo, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  const before = dmsTo(PEOPLE.outsider).length;
  expect((await h.click(PEOPLE.outsider, ACTION.approve, '1:1', { inHome: true })).status).toBe(200);
  await h.settle();
  const told = dmsTo(PEOPLE.outsider, before).join('\n');
  expect(told).not.toContain('Recall statement');
  expect(told).not.toContain('approved');
  expect(told).toContain('not yours to decide');
});
