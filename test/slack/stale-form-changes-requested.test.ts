import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { buttonValueOf, openForm, submittedAsOpened } from '../helpers/forms';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/**
 * A reviewer's Reject… form left open (a meeting) while the copy was revised and sent back for changes again: the
 * submit is refused, and what the form says must not point them at a card that has nothing to decide.
 */
let h: Harness;
afterEach(async () => {
  await h.close();
});

const changes = (comment: string): ViewValues => ({ [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: comment } } });
const valueIn = (userId: string) => buttonValueOf(h.standIn.messages(h.standIn.dmChannelFor(userId)).at(-1)?.blocks);

test('a Reject… form opened on revision 1, submitted while revision 2 waits for changes, is not told to decide on the card', async () => {
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  // given ana opens Reject… on revision 1 and leaves the form open
  const anaForm = await openForm(h, PEOPLE.ana, ACTION.reject, valueIn(PEOPLE.ana));
  // and meanwhile bea asks for changes, the flagger revises, and bea asks for changes to revision 2 as well
  const first = await openForm(h, PEOPLE.bea, ACTION.requestChanges, valueIn(PEOPLE.bea));
  await h.submitView(PEOPLE.bea, VIEW.requestChanges, changes('lights on'), String(first.view.private_metadata));
  await h.settle();
  const revise = await openForm(h, PEOPLE.flagger, ACTION.revise, valueIn(PEOPLE.flagger));
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(revise, { [FIELD.copy.block]: 'dunk, lights on' }), String(revise.view.private_metadata));
  await h.settle();
  const second = await openForm(h, PEOPLE.bea, ACTION.requestChanges, valueIn(PEOPLE.bea));
  await h.submitView(PEOPLE.bea, VIEW.requestChanges, changes('still too dark'), String(second.view.private_metadata));
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, state: { status: 'changes_requested' } });
  // the card offers reviewers nothing to press while the flagger revises
  expect(JSON.stringify(h.onlyCard().blocks)).not.toContain(ACTION.reject);
  // when ana submits her old form
  const answer = await h.submitView(PEOPLE.ana, VIEW.reject, { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'off brand' } } }, String(anaForm.view.private_metadata));
  // then it is refused, and not with "Decide on the latest card": nothing there is hers to decide until revision 3
  const error = String((JSON.parse(answer.text) as { errors: Record<string, string> }).errors[FIELD.reason.block]);
  expect(h.app.store.moments.get(1)?.state.status).toBe('changes_requested');
  expect(error).not.toMatch(/decide on the latest card/i);
  expect(error).toMatch(/^This was shown on revision 1; the copy has changed since \(revision 2\)\. Changes were requested on it by bea: you will be asked again when the new revision comes\.$/);
});
