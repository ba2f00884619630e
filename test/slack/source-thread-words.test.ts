import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';
import { openForm, submittedAsOpened } from '../helpers/forms';

/**
 * A message in a public channel flagged into the crisis topic, reviewed in the private crisis channel: its thread is
 * told the outcome, not what was said or written in the private review.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test("a revision's title, written for the private review, is not posted in the public flagged message's thread", async () => {
  // given a message in a public channel flagged into crisis, whose review is in the private crisis channel
  const msg = h.standIn.postAs(PEOPLE.flagger, 'C0GENERAL', 'Outage update: service is back for everyone');
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: msg.ts }, item_user: PEOPLE.flagger, event_ts: msg.ts });
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the moment');
  await h.settle();
  expect(h.app.store.moments.get(1)?.reviewChannel).toBe('C0CRISIS');
  // when legal asks for changes, the flagger retitles the moment in the revise form for legal's eyes, and it is approved
  const ask = await openForm(h, PEOPLE.leo, ACTION.requestChanges, '1:1');
  const changes: ViewValues = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Do not name the vendor' } } };
  await h.submitView(PEOPLE.leo, VIEW.requestChanges, changes, String(ask.view.private_metadata));
  await h.settle();
  const revise = await openForm(h, PEOPLE.flagger, ACTION.revise, '1:1');
  const secret = 'Outage: Acme vendor at fault, keep internal';
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(revise, { title: secret }), String(revise.view.private_metadata));
  await h.settle();
  await h.click(PEOPLE.cal, ACTION.approve, '1:2');
  await h.click(PEOPLE.leo, ACTION.approve, '1:2');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');

  // then the public thread is told it was flagged, then approved as revised, without the title written for the review
  const thread = h.standIn.messages('C0GENERAL').filter((m) => m.threadTs === msg.ts);
  expect(thread.map((m) => m.text.split(' <')[0])).toEqual(['⚡ Flagged for review.', '🎉 Approved as revised (revision 2): go post the approved copy, from the card.']);
  for (const reply of thread) expect(reply.text).not.toContain('Acme vendor');
});
