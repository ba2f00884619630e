import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { buttonValueOf, openForm, submittedAsOpened } from '../helpers/forms';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.bea]);
  await h.app.directory.refresh();
});
afterEach(async () => {
  await h.close();
});

test('a reviewer taken out of their role whose Reject form outlived a revision is not told to decide on the newest DM', async () => {
  // given a crisis for comms (cal) and legal (leo, bea), and leo's Reject form opened from his DM
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const value = buttonValueOf(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo))[0]?.blocks);
  const leoForm = await openForm(h, PEOPLE.leo, ACTION.reject, value);
  // when leo leaves legal, cal asks for changes and the flagger posts revision 2
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.bea]);
  await h.app.directory.refresh();
  const ask = await openForm(h, PEOPLE.cal, ACTION.requestChanges, value);
  const changes: ViewValues = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the plant' } } };
  await h.submitView(PEOPLE.cal, VIEW.requestChanges, changes, String(ask.view.private_metadata));
  await h.settle();
  const revise = await openForm(h, PEOPLE.flagger, ACTION.revise, value);
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(revise, { [FIELD.copy.block]: 'Plant 7 made batch 42' }), String(revise.view.private_metadata));
  await h.settle();
  // and leo submits the form he had open
  const reason: ViewValues = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Legal says no' } } };
  const answer = await h.submitView(PEOPLE.leo, VIEW.reject, reason, String(leoForm.view.private_metadata));
  // then nothing is recorded, and the form does not send him to a newer DM: he has none, and his DM has no buttons
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  const leoDms = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo));
  expect(leoDms).toHaveLength(1);
  expect(JSON.stringify(leoDms[0]?.blocks)).not.toContain(ACTION.approve);
  expect(answer.text).not.toContain('newest DM');
  expect(answer.text).toContain('no longer in');
});
