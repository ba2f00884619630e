import type { WebClient } from '@slack/web-api';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { openForm, submittedAsOpened } from '../helpers/forms';
import { PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';

/**
 * A long flagged message edited since it was flagged: a card or DM that cuts the copy does not send people to the
 * message for the rest once the moment is decided, nor for a revision, since nobody looked at the message since.
 */

const SOURCE_CHANNEL = 'C0GENERAL';

let h: Harness;
let slack: WebClient;
beforeEach(async () => {
  h = await startHarness();
  slack = slackClient(h);
});
afterEach(async () => {
  await h.close();
});

/** A press release of 220 lines (13,000 characters) posted in a channel and flagged with the reaction. */
async function flagLongMessage(): Promise<{ readonly lines: string[]; readonly ts: string }> {
  const lines = Array.from({ length: 220 }, (_, i) => `${String(i + 1).padStart(3, '0')}. Our spring range is in every store from Monday & online.`);
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: `Press release: ${lines.join('\n')}` });
  const ts = String(posted.ts);
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: SOURCE_CHANNEL, ts }, item_user: PEOPLE.flagger, event_ts: (Date.now() / 1000).toFixed(6) });
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the moment');
  await h.settle();
  return { lines, ts };
}

test('a long flagged message edited before the approval: the approved card does not point to the edited message for the whole copy', async () => {
  // given a 13,000-character message flagged with the reaction (the card and DMs cut it, pointing to the message)
  const { lines, ts } = await flagLongMessage();
  expect(JSON.stringify(h.onlyCard().blocks)).toContain('the whole copy is in the flagged message');
  // and the message then edited (words nobody reviewed)
  await slack.chat.update({ channel: SOURCE_CHANNEL, ts, text: `Press release: ${lines.join('\n').replace('every store', 'every store, 50% OFF EVERYTHING')}` });
  // when brand approves
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  // then the card's thread says the message was edited since and not to post it as it is...
  const card = h.onlyCard(REVIEW_CHANNEL);
  const thread = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === card.ts).map((m) => m.text).join('\n');
  expect(thread).toContain('not as the message was edited since');
  // ...so the card above it (and the reviewers' DMs) must not send whoever posts it to that message for the whole copy
  expect(JSON.stringify(card.blocks)).not.toContain('the whole copy is in the flagged message');
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.bea))[0]?.blocks)).not.toContain('the whole copy is in the flagged message');
  // and the message's own thread does not send them to the card for a copy the card shows only the start of
  const reply = h.standIn.messages(SOURCE_CHANNEL).filter((m) => m.threadTs === ts).map((m) => m.text).join('\n');
  expect(reply).toContain('not as the message was edited since: go post the approved copy (longer than a Slack message holds: the card shows its start)');
  expect(reply).not.toContain('from the card');
});

test('revision 2 that kept a long copy, the message edited before it: its card does not send reviewers to the edited message for the copy they review', async () => {
  // given a 13,000-character message flagged with the reaction
  const { lines, ts } = await flagLongMessage();
  // and brand asks for changes; the flagger edits the message in the channel, then revises changing only the title
  // (the revise form keeps the stored long copy whole unless its field is edited)
  const changes = await openForm(h, PEOPLE.ana, ACTION.requestChanges, '1:1:0');
  await h.submitView(PEOPLE.ana, VIEW.requestChanges, { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Mention the sale, and a better title' } } }, String(changes.view.private_metadata));
  await h.settle();
  await slack.chat.update({ channel: SOURCE_CHANNEL, ts, text: `Press release: ${lines.join('\n').replace('every store', 'every store, 50% OFF EVERYTHING')}` });
  const revise = await openForm(h, PEOPLE.flagger, ACTION.revise, '1:1:0');
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(revise, { [FIELD.title.block]: 'Spring range, everywhere' }), String(revise.view.private_metadata));
  await h.settle();
  const moment = h.app.store.moments.get(1);
  expect(moment?.revision).toBe(2);
  expect(moment?.content.copy).not.toContain('50% OFF');
  // then the card asking for revision 2's review does not say its whole copy is in the flagged message, which now says
  // something else (before 2c93150 a revision's cut card pointed nowhere)
  expect(JSON.stringify(h.onlyCard(REVIEW_CHANNEL).blocks)).not.toContain('the whole copy is in the flagged message');
});
