import type { WebClient } from '@slack/web-api';
import type { OpenedView, StoredMessage } from '../../src/sandbox/slack-stand-in';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { OPENED_BEFORE_UPDATE, ORIGIN_NOT_KEPT } from '../../src/slack/views/flag-submission';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';
import { flagFormValues, flagShortcutRequest } from '../helpers/flag-shortcut';
import { type SignedRequest, type ViewValues } from '../helpers/slack-requests';

/**
 * A flag form's private_metadata comes back as the person's client sends it: altered, it must not make Greenlight vouch
 * for words nobody reviewed, post into a thread the person never flagged from, or dress another site up as the flagged
 * message. The form carries only a key; the message it was opened on is what Greenlight kept for its opener.
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

async function seed(channel: string, text: string): Promise<StoredMessage> {
  const posted = await slack.chat.postMessage({ channel, text });
  const message = posted.ts === undefined ? undefined : h.standIn.findMessage(channel, posted.ts);
  if (!message) throw new Error('the message was not seeded');
  return message;
}

function shortcutRequest(userId: string, message: StoredMessage): SignedRequest {
  return flagShortcutRequest(h, userId, message, { author: { user: PEOPLE.cal } });
}

const formValues = (title: string, copy: string): ViewValues => flagFormValues(title, copy);

const threadUnder = (message: StoredMessage) => h.standIn.messages(message.channel).filter((m) => m.threadTs === message.ts).map((m) => m.text);

test('copy changed in the form, with what the form showed taken out of its metadata: the risky message is not told "Go post it!"', async () => {
  // given cal's risky draft in #general, and the outsider opening Flag moment on it (a message they can see)
  const risky = await seed(SOURCE_CHANNEL, 'Our new shoe is 100% recycled and the greenest on the market. Launch post tonight!');
  await h.post(shortcutRequest(PEOPLE.outsider, risky));
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the flag form');
  const form = h.standIn.openedViews()[0] as OpenedView;
  const metadata = JSON.parse(String(form.view.private_metadata)) as Record<string, unknown>;
  // when they send harmless words for review, with what the form showed taken out of its metadata, if it held it
  delete metadata.copyShown;
  await h.submitView(PEOPLE.outsider, VIEW.flag, formValues('Shoe launch', 'Our new shoe is out. Launch post tonight!'), JSON.stringify(metadata));
  await h.settle();
  // and brand approves the harmless words shown on the card
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  // then the risky words, which nobody reviewed, are not told to go out (as they are when the form is left honest)
  const last = threadUnder(risky).at(-1) ?? '';
  expect(last).not.toContain('Go post it!');
});

test("a source written into the form's metadata is not taken: nothing is posted in a private channel's thread", async () => {
  // given a message in the private crisis channel, where the outsider is not
  const secret = await seed(CRISIS_CHANNEL, 'Legal: hold every post about batch 42 until 5pm');
  // when the outsider submits a flag form (opened with /moment) whose metadata names that message as its source
  const metadata = JSON.stringify({ channel: SOURCE_CHANNEL, source: { channel: CRISIS_CHANNEL, ts: secret.ts } });
  const answer = await h.submitView(PEOPLE.outsider, VIEW.flag, formValues('Free pizza', 'Free pizza for everyone who retweets'), metadata);
  await h.settle();
  // then the form is refused (as one an earlier version opened would be), and no moment is made
  expect(JSON.parse(answer.text)).toMatchObject({ response_action: 'errors' });
  expect(h.countOpenMoments()).toBe(0);
  // and nothing the outsider wrote is posted under the legal hold in the crisis channel
  expect(threadUnder(secret)).toEqual([]);
});

test('a forged permalink is not shown on the card as the link to the flagged message', async () => {
  const message = await seed(SOURCE_CHANNEL, 'Dunk in the dark');
  const metadata = JSON.stringify({
    channel: SOURCE_CHANNEL,
    source: { channel: SOURCE_CHANNEL, ts: message.ts, permalink: 'https://greenlight-sandbox.slack.com.evil.example/login' },
  });
  await h.submitView(PEOPLE.outsider, VIEW.flag, formValues('Game night', 'Dunk in the dark'), metadata);
  await h.settle();
  expect(JSON.stringify(h.standIn.messages(REVIEW_CHANNEL))).not.toContain('evil.example');
});

test("a form sent with another person's origin key is refused, and nothing is stored", async () => {
  // given the flagger's form, opened on a message
  const message = await seed(SOURCE_CHANNEL, 'Dunk in the dark');
  await h.post(shortcutRequest(PEOPLE.flagger, message));
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the flag form');
  const form = h.standIn.openedViews()[0] as OpenedView;
  // when someone else sends a form carrying its metadata
  const answer = await h.submitView(PEOPLE.outsider, VIEW.flag, formValues('Game night', 'Dunk in the dark'), String(form.view.private_metadata));
  // then the form says it cannot be sent, and no moment is made
  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: ORIGIN_NOT_KEPT } });
  expect(h.countOpenMoments()).toBe(0);
});

test('a form an earlier version opened on a message, which named the message itself, is refused after the upgrade: not flagged without it', async () => {
  // given a form opened before the upgrade: its metadata names the message, and a long one's text is kept as a draft
  const message = await seed(SOURCE_CHANNEL, 'Dunk in the dark');
  const permalink = `https://greenlight-sandbox.slack.com/archives/${SOURCE_CHANNEL}/p${message.ts.replace('.', '')}`;
  const before = JSON.stringify({ channel: SOURCE_CHANNEL, source: { channel: SOURCE_CHANNEL, ts: message.ts, permalink }, draft: 'draft:trigger.old1', copyShown: 'c0ffee' });
  // when it is sent after the upgrade
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, formValues('Game night', 'Dunk in the dark'), before);
  // then the form asks to flag the message again, and nothing is stored: flagged without its message, its thread would
  // not be told, it could be flagged again, and a long one's copy would be cut
  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: OPENED_BEFORE_UPDATE } });
  expect(h.countOpenMoments()).toBe(0);
});
