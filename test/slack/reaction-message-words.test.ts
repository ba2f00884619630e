import type { WebClient } from '@slack/web-api';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';
import { MESSAGE_WITH_PREVIEW } from '../helpers/link-preview';

/**
 * What a message flagged by reaction puts on the card (its words, not a link preview's; its link as Slack marked it; a
 * title without formatting marks) and which topic it goes to (keywords as typed, in scripts without spaces too).
 */

const SOURCE_CHANNEL = 'C0GENERAL';
/** The test routing with keywords people write with an ampersand (M&A, Q&A) and in Japanese, for crisis. */
const ROUTING = TEST_ROUTING.replace('keywords: [outage, recall]', 'keywords: [outage, recall, "m&a", "q&a", リコール]');

let h: Harness;
let slack: WebClient;
beforeEach(async () => {
  h = await startHarness({ routingYaml: ROUTING });
  slack = slackClient(h);
});
afterEach(async () => {
  await h.close();
});

/** Posts `message` (as Slack's history gives it back), reacts to it with :zap: as the flagger, waits for the moment. */
async function flagged(message: { text: string; attachments?: unknown[]; blocks?: unknown[] }, itemUser: string = PEOPLE.ana) {
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, ...(message as { text: string }) });
  if (!posted.ts) throw new Error('not posted');
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: SOURCE_CHANNEL, ts: posted.ts }, item_user: itemUser, event_ts: (Date.now() / 1000).toFixed(6) });
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the flagged moment');
  await h.settle();
  const moment = h.app.store.moments.get(1);
  if (!moment) throw new Error('no moment');
  const card = [...h.standIn.messages(REVIEW_CHANNEL), ...h.standIn.messages(CRISIS_CHANNEL)].find((m) => m.threadTs === undefined);
  return { moment, card: JSON.stringify(card?.blocks) };
}

test("a message whose link Slack unfurled is reviewed as the person wrote it, not as the link preview's words", async () => {
  // given a person's message with a link, and the preview Slack attached to it (as conversations.history returns it)
  const { moment, card } = await flagged(MESSAGE_WITH_PREVIEW);
  // then the copy to approve is what the person posted, with its link
  expect(moment.content.copy).toContain('Reply to this with our take?');
  expect(moment.content.link).toBe('https://news.example.com/story');
  expect(card).toContain('Reply to this with our take?');
});

test.each([
  ['bold', 'New ad is live: *<https://example.com/ad>*'],
  ['an em dash after it', 'New ad is live <https://example.com/ad>—thoughts?'],
  ['Japanese around it', '新しい広告は<https://example.com/ad>をご覧ください'],
  ['curly quotes', 'New ad is live “<https://example.com/ad>”'],
])('the source link of a message whose link is %s is the link Slack marked, and the card links it', async (_name, text) => {
  const { moment, card } = await flagged({ text });
  expect(moment.content.link).toBe('https://example.com/ad');
  expect(card).toContain('Source: <https://example.com/ad>');
});

test.each([
  ['Our M&amp;A news goes out at noon', 'M&A'],
  ['Q&amp;A with the CEO tonight', 'Q&A'],
])('a keyword with an ampersand routes a flagged message as it routes the same words typed with /moment (%s)', async (text) => {
  // a reaction on a message saying them (Slack sends & as &amp; in a message's text)
  const { moment } = await flagged({ text });
  // /moment with the same words picks crisis
  const typed = await h.command(PEOPLE.bea, text);
  expect(typed.text).toContain('for *crisis* review');
  // and so must the reaction
  expect(moment.topic).toBe('crisis');
});

test('a Japanese keyword routes a Japanese message (no spaces between words)', async () => {
  const { moment } = await flagged({ text: '製品のリコールについてのお知らせ' });
  expect(moment.topic).toBe('crisis');
});

test.each([
  ['*Flash sale*: 50% off today only', 'Flash sale'],
  ['```\nSALE 50% off tonight\n```', 'SALE 50% off tonight'],
])('the card title of %j is words, not Slack markup', async (text, title) => {
  const { moment, card } = await flagged({ text });
  expect(moment.content.title).toBe(title);
  expect(card).toContain(`"text":"⚡ ${title}"`);
});
