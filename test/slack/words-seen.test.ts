import type { WebClient } from '@slack/web-api';
import type { OpenedView, StoredMessage } from '../../src/sandbox/slack-stand-in';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';
import { flagShortcutRequest } from '../helpers/flag-shortcut';
import { nextId, type SignedRequest, type ViewValues } from '../helpers/slack-requests';

/**
 * "Go post it!" or "edited since" at an approval, when all that changed is the #tag that named the topic: taken out as
 * chooseTopic takes it out of the copy (its colon, the space before a full stop), whichever topic the form then chose.
 */

const SOURCE_CHANNEL = 'C0GENERAL';
const SOURCE_TEXT = 'Our new ad: dunk in the dark, lights off https://example.com/ad';

let h: Harness;
let slack: WebClient;
beforeEach(async () => {
  h = await startHarness();
  slack = slackClient(h);
});
afterEach(async () => {
  await h.close();
});

const flaggerDms = () => h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
const threadOf = (ts: string) => h.standIn.messages(SOURCE_CHANNEL).filter((m) => m.threadTs === ts);

async function post(text: string): Promise<StoredMessage> {
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text });
  const message = posted.ts === undefined ? undefined : h.standIn.findMessage(SOURCE_CHANNEL, posted.ts);
  if (!message) throw new Error('not posted');
  return message;
}

/** A message posted in the channel and flagged with the reaction by the flagger, once its moment is stored. */
async function flaggedByReaction(text: string, eventId: string): Promise<StoredMessage> {
  const message = await post(text);
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: SOURCE_CHANNEL, ts: message.ts }, item_user: PEOPLE.flagger, event_ts: (Date.now() / 1000).toFixed(6) }, eventId);
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the moment');
  await h.settle();
  return message;
}

function shortcutRequest(userId: string, message: { ts: string; text: string }, triggerId: string): SignedRequest {
  return flagShortcutRequest(h, userId, message, { triggerId, author: { user: PEOPLE.flagger } });
}

function initialValue(view: Record<string, unknown>, blockId: string): unknown {
  for (const block of view.blocks as { block_id?: string; element?: { initial_value?: unknown } }[]) if (block.block_id === blockId) return block.element?.initial_value;
  return undefined;
}

test('the topic changed in the shortcut form, the message\'s (other) #tag then taken out: "Go post it!", as with its own topic\'s tag', async () => {
  // given "…#sports" flagged through the shortcut: the form shows the copy without the tag, and the flagger picks
  // "default" instead of "sports"
  const tagged = await post(`${SOURCE_TEXT} #sports`);
  await h.post(shortcutRequest(PEOPLE.flagger, tagged, nextId('trigger.')));
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the form');
  const form = h.standIn.openedViews()[0] as OpenedView;
  expect(initialValue(form.view, FIELD.copy.block)).toBe(SOURCE_TEXT);
  const values: ViewValues = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Our new ad' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: SOURCE_TEXT } },
    [FIELD.link.block]: { [FIELD.link.input]: { type: 'url_text_input', value: null } },
    [FIELD.topic.block]: { [FIELD.topic.input]: { type: 'static_select', selected_option: { value: 'default' } } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
  expect((await h.submitView(PEOPLE.flagger, VIEW.flag, values, String(form.view.private_metadata))).text).toBe('');
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'default', content: { copy: SOURCE_TEXT } });
  // when the flagger takes the tag out of the message, which now says exactly the copy brand reviewed, and brand approves
  await slack.chat.update({ channel: SOURCE_CHANNEL, ts: tagged.ts, text: SOURCE_TEXT });
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  // then: go post it (the words are the reviewed copy), not "as the message was edited since"
  const thread = threadOf(tagged.ts).at(-1)?.text ?? '';
  expect(thread).toContain('🎉 Approved. Go post it!');
  expect(flaggerDms().at(-1)).toContain('*Our new ad* is approved. Go post it!');
});

describe('the tag taken out of a message whose tag chooseTopic reads with its punctuation: "Go post it!", as for a bare tag', () => {
  async function approvedAfterTagTakenOut(flagged: string, posted: string): Promise<string[]> {
    const tagged = await flaggedByReaction(flagged, `Ev0${flagged.length}`);
    // the copy on the card is exactly what the flagger then leaves in the message
    expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'sports', content: { copy: posted } });
    await slack.chat.update({ channel: SOURCE_CHANNEL, ts: tagged.ts, text: posted });
    await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
    await h.settle();
    expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
    return [threadOf(tagged.ts).at(-1)?.text ?? '', flaggerDms().at(-1) ?? ''];
  }

  test('a leading "#sports:" (its colon goes with it, README: "#sports: Big match")', async () => {
    const said = await approvedAfterTagTakenOut('#sports: Big match tonight, free tickets', 'Big match tonight, free tickets');
    for (const s of said) expect(s).toMatch(/approved\. Go post it!/i);
  });

  test('a trailing tag before the sentence\'s full stop ("… free tickets #sports!")', async () => {
    const said = await approvedAfterTagTakenOut('Big match tonight, free tickets #sports!', 'Big match tonight, free tickets!');
    for (const s of said) expect(s).toMatch(/approved\. Go post it!/i);
  });

  test('a leading tag whose topic is also one of the post\'s own closing hashtags (which stays in the copy)', async () => {
    const said = await approvedAfterTagTakenOut('#sports Big match tonight! #sports #GameDay', 'Big match tonight! #sports #GameDay');
    for (const s of said) expect(s).toMatch(/approved\. Go post it!/i);
  });
});

test('a #topic tag inside a sentence is part of the reviewed copy: taken out of the message since, it is not "Go post it!"', async () => {
  // given "Watch the #sports final…": chooseTopic picks sports and keeps the tag in the copy ("one inside a sentence
  // is part of what the flagger wrote, and stays"), so brand reviews words with "#sports" in them
  const text = 'Watch the #sports final live tonight, free tickets';
  const tagged = await flaggedByReaction(text, 'Ev0MIDTAG');
  expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'sports', content: { copy: text } });
  // when the message is edited to other words than those reviewed, and brand approves
  await slack.chat.update({ channel: SOURCE_CHANNEL, ts: tagged.ts, text: 'Watch the final live tonight, free tickets' });
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  // then it is not "Go post it!" under words nobody reviewed
  for (const said of [threadOf(tagged.ts).at(-1)?.text ?? '', flaggerDms().at(-1) ?? '']) expect(said).not.toContain('Go post it!');
});

test("a flagger's DM delayed by a 429, the message edited after the thread note: the DM looks again and does not say 'Go post it!'", async () => {
  // given a message flagged with the reaction, and the flagger's DM rate limited once (Retry-After 1 s)
  const flagged = await flaggedByReaction('Big match tonight, free tickets #sports', 'Ev0STALE');
  h.standIn.inject({ method: 'chat.postMessage', channel: h.standIn.dmChannelFor(PEOPLE.flagger), times: 1, fault: { kind: 'rate_limited', retryAfterSec: 1 } });
  // when brand approves, the thread note reads the message as flagged, and the message is edited before the DM goes out
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.standIn.waitFor(() => threadOf(flagged.ts).some((m) => m.text.includes('Approved')), 3000, 'the thread note');
  await slack.chat.update({ channel: SOURCE_CHANNEL, ts: flagged.ts, text: 'Big match tonight, FREE tickets for all #sports' });
  await h.standIn.waitFor(() => flaggerDms().some((t) => t.includes('approved')), 10_000, "the flagger's approval DM");
  await h.settle();
  // then the DM, told after the edit, says so
  expect(threadOf(flagged.ts).find((m) => m.text.includes('Approved'))?.text).toContain('Go post it!');
  expect(flaggerDms().find((t) => t.includes('approved'))).toContain('not as the message was edited since');
});

test("the card's thread does not say 'Go post it!' either for a message edited since the flag", async () => {
  // given a message flagged with the reaction, then edited
  const flagged = await flaggedByReaction('Big match tonight, free tickets #sports', 'Ev0CARDTHREAD');
  await slack.chat.update({ channel: SOURCE_CHANNEL, ts: flagged.ts, text: 'Big match tonight, FREE tickets for all #sports' });
  // when brand approves
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  // then the card's thread, where reviewers and the flagger read the outcome, says so as the message's thread does
  const card = h.onlyCard(REVIEW_CHANNEL);
  const cardThread = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === card.ts).map((m) => m.text).join('\n');
  expect(cardThread).toContain('not as the message was edited since');
  expect(cardThread).not.toContain('Go post it!');
  expect(threadOf(flagged.ts).at(-1)?.text).toContain('not as the message was edited since');
});
