import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { openForm } from '../helpers/forms';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/**
 * Whoever loses a race is told who won it: a button's loser reads "Already rejected by @bea"; the loser of a form, who
 * typed a reason, reads the name (a form's error shows a mention as its raw code); an Approve that lost to a request
 * for changes is told who asked for them.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const reason = (text: string): ViewValues => ({ [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: text } } });
const changes = (text: string): ViewValues => ({ [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: text } } });
const answersTo = (userId: string) => h.standIn.responses(`click-${userId}`).map((r) => String(r.body.text));

/**
 * bea opens Reject… and writes her reason; ana approves meanwhile; then bea sends the form. `beforeSending`: what else
 * happens before she sends it. Returns the error her form shows.
 */
async function rejectFormAfterAnaApproved(beforeSending: () => void = () => undefined): Promise<string | undefined> {
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  const form = await openForm(h, PEOPLE.bea, ACTION.reject, '1:1:0');
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  beforeSending();
  const answer = await h.submitView(PEOPLE.bea, VIEW.reject, reason('Tone-deaf during the outage'), String(form.view.private_metadata));
  return (JSON.parse(answer.text) as { errors: Record<string, string> }).errors[FIELD.reason.block];
}

test('a Reject… form sent just after another reviewer approved names who approved, by name', async () => {
  expect(await rejectFormAfterAnaApproved()).toBe('Already approved by ana. Nothing more to decide.');
});

test('a Reject… form whose winner Slack cannot name in time still says what happened, without a raw mention', async () => {
  const slackFailsToName = () => h.standIn.inject({ method: 'users.info', times: 5, fault: { kind: 'http_error', status: 500, landed: false } });
  expect(await rejectFormAfterAnaApproved(slackFailsToName)).toBe('Already approved. Nothing more to decide.');
});

test('an Approve that lost to a request for changes is told who asked for them', async () => {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const form = await openForm(h, PEOPLE.leo, ACTION.requestChanges, '1:1:0');
  await h.submitView(PEOPLE.leo, VIEW.requestChanges, changes('say voluntary'), String(form.view.private_metadata));
  await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
  await h.settle();
  expect(answersTo(PEOPLE.cal)).toEqual([`Changes were requested by <@${PEOPLE.leo}>: wait for the new revision before approving.`]);
});
