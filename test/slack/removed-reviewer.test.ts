import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('a reviewer removed from the role after the ping can no longer decide', async () => {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  expect(h.app.store.reviews.assignments(1).some((a) => a.userId === PEOPLE.leo)).toBe(true);

  // Leo leaves the legal user group; the directory's next refresh sees it.
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  await h.settle();

  expect(h.app.store.reviews.decisions(1)).toEqual([]);
  const told = h.standIn.responses(`click-${PEOPLE.leo}`).map((r) => String(r.body.text));
  expect(told.join()).toContain('not yours');
});

test('the button value never grants anything: a forged moment id in the value is checked against the store', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.click(PEOPLE.outsider, ACTION.approve, '1:1');
  await h.click(PEOPLE.ana, ACTION.approve, '999:1');
  await h.settle();
  expect(h.app.store.reviews.decisions(1)).toEqual([]);
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text)).join()).toContain('no longer exists');
});
