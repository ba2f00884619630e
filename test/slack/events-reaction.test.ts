import type { WebClient } from '@slack/web-api';
import type { StoredMessage } from '../../src/sandbox/slack-stand-in';
import { flagReactionIn } from '../../src/slack/events/reaction-added';
import { MESSAGE_GONE, NO_TEXT } from '../../src/slack/events/reaction-intake';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { wordsFingerprint } from '../../src/slack/message-words';
import { PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';
import { eventBody, signed } from '../helpers/slack-requests';

/** A reaction with the flag emoji flags the message once, however many people react or Slack retries. */


const SOURCE_CHANNEL = 'C0GENERAL';
/** The stand-in's bot user: what Slack puts in `item_user` for Greenlight's own messages. */
const BOT_USER_ID = 'U0GREENLIGHT';
const SOURCE_TEXT = 'Our new ad: dunk in the dark, lights off https://example.com/ad';

let h: Harness;
let slack: WebClient;
let sourceTs: string;
beforeEach(async () => {
  h = await startHarness();
  // The message people react to, in the stand-in so conversations.history finds it.
  slack = slackClient(h);
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: SOURCE_TEXT });
  if (!posted.ts) throw new Error('the source message was not posted');
  sourceTs = posted.ts;
});
afterEach(async () => {
  await h.close();
});

function reaction(user: string, emoji = 'zap', ts = sourceTs): Record<string, unknown> {
  return {
    type: 'reaction_added',
    user,
    reaction: emoji,
    item: { type: 'message', channel: SOURCE_CHANNEL, ts },
    item_user: PEOPLE.ana,
    event_ts: (Date.now() / 1000).toFixed(6),
  };
}

/** Events are acknowledged before the listener runs: wait for the moment to exist, then for delivery. */
async function flaggedMoment(): Promise<void> {
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the flagged moment');
  await h.settle();
}

/** For events that must do nothing: give the listener time to run, then let delivery finish. */
async function listenerRan(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  await h.settle();
}

function sourceThread(): StoredMessage[] {
  return h.standIn.messages(SOURCE_CHANNEL).filter((m) => m.threadTs === sourceTs);
}

function cards(): StoredMessage[] {
  return h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
}

test('a :zap: reaction flags the message and replies in its thread with a link to the card', async () => {
  const answer = await h.event(reaction(PEOPLE.flagger), 'Ev0FIRST');
  expect(answer.status).toBe(200);
  await flaggedMoment();

  expect(h.countOpenMoments()).toBe(1);
  const moment = h.app.store.moments.get(1);
  expect(moment?.flaggerId).toBe(PEOPLE.flagger);
  const permalink = `https://greenlight-sandbox.slack.com/archives/${SOURCE_CHANNEL}/p${sourceTs.replace('.', '')}`;
  expect(moment?.source).toEqual({ channel: SOURCE_CHANNEL, ts: sourceTs, permalink, wordsSeen: wordsFingerprint(SOURCE_TEXT) });
  expect(moment?.content).toMatchObject({ title: 'Our new ad', link: 'https://example.com/ad' });
  expect(cards()).toHaveLength(1);
  // and the card says where it was flagged from, with a link back to the message
  expect(JSON.stringify(cards()[0]?.blocks)).toContain(`From <#${SOURCE_CHANNEL}> (<${permalink}|the message>)`);
  const card = cards()[0];
  if (!card) throw new Error('no card');
  const thread = sourceThread();
  expect(thread).toHaveLength(1);
  expect(thread[0]?.text).toContain(`archives/${REVIEW_CHANNEL}/p${card.ts.replace('.', '')}`);
  expect(h.standIn.ephemerals(PEOPLE.flagger).map((e) => e.channel)).toEqual([SOURCE_CHANNEL]);
});

test('a second :zap: from someone else and a Slack retry of the first create nothing more; the second reactor is told where the card is', async () => {
  await h.event(reaction(PEOPLE.flagger), 'Ev0FIRST');
  await flaggedMoment();
  const historyReads = h.standIn.callsTo('conversations.history').length;

  await h.event(reaction(PEOPLE.bea), 'Ev0SECOND');
  const retry = signed(eventBody(reaction(PEOPLE.flagger), 'Ev0FIRST'), 'application/json');
  const retried = await h.post({ body: retry.body, headers: { ...retry.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
  await listenerRan();

  expect(retried.status).toBe(200);
  expect(h.countOpenMoments()).toBe(1);
  expect(h.app.store.moments.get(2)).toBeUndefined();
  expect(cards()).toHaveLength(1);
  expect(sourceThread()).toHaveLength(1);
  expect(h.standIn.callsTo('conversations.history')).toHaveLength(historyReads);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);
  // the second reactor is told, only to them, that the message is under review and where its card is
  const told = h.standIn.ephemerals(PEOPLE.bea);
  expect(told.map((e) => e.channel)).toEqual([SOURCE_CHANNEL]);
  expect(told[0]?.text).toContain('already under review as moment #1');
  expect(told[0]?.text).toContain(`archives/${REVIEW_CHANNEL}/p${cards()[0]?.ts.replace('.', '')}`);
  // and a retry of that reaction tells them nothing more
  const again = signed(eventBody(reaction(PEOPLE.bea), 'Ev0SECOND'), 'application/json');
  await h.post({ body: again.body, headers: { ...again.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
  await listenerRan();
  expect(h.standIn.ephemerals(PEOPLE.bea)).toHaveLength(1);
});

test('two people reacting at the same instant flag the message once', async () => {
  await Promise.all([h.event(reaction(PEOPLE.flagger), 'Ev0A'), h.event(reaction(PEOPLE.bea), 'Ev0B')]);
  await flaggedMoment();
  await listenerRan();

  expect(h.countOpenMoments()).toBe(1);
  expect(cards()).toHaveLength(1);
  expect(sourceThread()).toHaveLength(1);
});

test('a :zap: from a bot user (an integration reacting to messages) flags nothing', async () => {
  h.standIn.addUser({ id: 'U0ZAPBOT', name: 'zapbot', isBot: true });
  await h.event(reaction('U0ZAPBOT'), 'Ev0BOT');
  await h.standIn.waitFor(() => h.standIn.callsTo('users.info').length > 0, 5000, 'the reactor looked up');
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(cards()).toHaveLength(0);
  // and a person's :zap: on the same message still flags it
  await h.event(reaction(PEOPLE.flagger), 'Ev0PERSON');
  await flaggedMoment();
  expect(h.countOpenMoments()).toBe(1);
  // and the bot reacting again, on a message now under review, is not answered (a person would be pointed to the card)
  const lookups = h.standIn.callsTo('users.info').length;
  await h.event(reaction('U0ZAPBOT'), 'Ev0BOTAGAIN');
  await h.standIn.waitFor(() => h.standIn.callsTo('users.info').length > lookups, 5000, 'the reactor looked up again');
  await h.settle();
  expect(h.standIn.callsTo('chat.postEphemeral').filter((c) => c.params.user === 'U0ZAPBOT')).toEqual([]);
});

test('a reaction with another emoji does nothing', async () => {
  const answer = await h.event(reaction(PEOPLE.flagger, 'thumbsup'), 'Ev0THUMBS');
  await listenerRan();

  expect(answer.status).toBe(200);
  expect(h.countOpenMoments()).toBe(0);
  expect(h.standIn.callsTo('conversations.history')).toHaveLength(0);
  expect(h.standIn.messages(SOURCE_CHANNEL)).toHaveLength(1);
});

test('the flag emoji with a skin tone is the flag emoji; another emoji, toned or not, is not', () => {
  const body = (emoji: string) => ({ type: 'event_callback', event_id: 'Ev1', event: reaction(PEOPLE.flagger, emoji) });
  expect(flagReactionIn(body('raised_hand'), 'raised_hand', BOT_USER_ID, 0)).toBeDefined();
  expect(flagReactionIn(body('raised_hand::skin-tone-3'), 'raised_hand', BOT_USER_ID, 0)).toBeDefined();
  expect(flagReactionIn(body('handshake::skin-tone-2::skin-tone-5'), 'handshake', BOT_USER_ID, 0)).toBeDefined();
  expect(flagReactionIn(body('thumbsup::skin-tone-2'), 'raised_hand', BOT_USER_ID, 0)).toBeUndefined();
  expect(flagReactionIn(body('raised_hands'), 'raised_hand', BOT_USER_ID, 0)).toBeUndefined();
});

test('a :zap: on a message Slack cannot find flags nothing', async () => {
  await h.event(reaction(PEOPLE.flagger, 'zap', '1600000000.000001'), 'Ev0GONE');
  await listenerRan();

  expect(h.countOpenMoments()).toBe(0);
  expect(cards()).toHaveLength(0);
});

test("a :zap: on an app's message whose text is only its notification puts the words of its blocks on the card", async () => {
  // given a scheduler's post: its words in a section block, its text a notification fallback
  const copy = 'Tonight only: dunk in the dark, lights off at 9pm';
  const post = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: 'New scheduled post', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: copy } }] });
  // when it is flagged
  await h.event(reaction(PEOPLE.flagger, 'zap', post.ts), 'Ev0APP');
  await flaggedMoment();
  // then reviewers approve the words people see, not the notification
  expect(h.app.store.moments.get(1)?.content.copy).toContain('dunk in the dark, lights off at 9pm');
  expect(JSON.stringify(h.app.store.moments.get(1)?.content)).not.toContain('New scheduled post');
  expect(JSON.stringify(cards()[0]?.blocks)).toContain('dunk in the dark');
});

test("a :zap: on an app's message of attachments alone puts their words on the card", async () => {
  const post = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: '', attachments: [{ title: 'Blackout promo', text: 'Dunk in the dark tonight, lights off at 9pm' }] });
  await h.event(reaction(PEOPLE.flagger, 'zap', post.ts), 'Ev0ATTACHED');
  await flaggedMoment();
  expect(h.app.store.moments.get(1)?.content).toMatchObject({ title: 'Blackout promo', copy: expect.stringContaining('Dunk in the dark tonight') });
});

test("a :zap: on an image post with a caption tells the card's and the DMs' readers there is an image to see", async () => {
  // given a person's post of an image and a video, with a caption
  const files = [
    { id: 'F0IMG', name: 'dunk.png', title: 'Dunk in the dark', mimetype: 'image/png' },
    { id: 'F0VID', name: 'teaser.mp4', title: 'teaser.mp4', mimetype: 'video/mp4' },
  ];
  const post = h.standIn.postAs(PEOPLE.ana, SOURCE_CHANNEL, 'Ready for tonight? Lights off at 9', undefined, files);
  // when it gets the flag emoji
  await h.event(reaction(PEOPLE.flagger, 'zap', post.ts), 'Ev0FILES');
  await flaggedMoment();
  // then the moment keeps what the message carries, and the card and ana's DM say so
  expect(h.app.store.moments.get(1)?.source?.files).toEqual([
    { name: 'Dunk in the dark', kind: 'image' },
    { name: 'teaser.mp4', kind: 'video' },
  ]);
  const said = '📎 1 image and 1 video (Dunk in the dark, teaser.mp4): open the message to see them';
  expect(JSON.stringify(cards()[0]?.blocks)).toContain(said);
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks)).toContain(said);
});

test("a :zap: on a scheduler app's image post (its words in a section, its image in an image block) tells reviewers there is an image", async () => {
  const post = await slack.chat.postMessage({
    channel: SOURCE_CHANNEL,
    text: 'New scheduled post',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: 'Tonight only: dunk in the dark, lights off at 9pm' } },
      { type: 'image', image_url: 'https://example.com/dunk.png', alt_text: 'Dunk in the dark' },
    ],
  });
  await h.event(reaction(PEOPLE.flagger, 'zap', post.ts), 'Ev0APPIMAGE');
  await flaggedMoment();
  expect(JSON.stringify(cards()[0]?.blocks)).toContain('📎 1 image (Dunk in the dark): open the message to see it');
});

test.each([
  ['without text', ''],
  ['whose only text is a topic tag', '#sports'],
])('a :zap: on an image %s flags nothing and tells the person how to flag it', async (_name, caption) => {
  // given a message that is an image block, with no caption or only a #topic
  const image = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: caption, blocks: [{ type: 'image', image_url: 'https://example.com/a.png', alt_text: 'ad' }] });
  // when it gets the flag emoji
  await h.event(reaction(PEOPLE.flagger, 'zap', image.ts), 'Ev0IMAGE');
  await listenerRan();
  // then no moment, no card, and the person is told, in the channel, only to them
  expect(h.countOpenMoments()).toBe(0);
  expect(cards()).toHaveLength(0);
  expect(h.standIn.ephemerals(PEOPLE.flagger).map((e) => e.text)).toEqual([NO_TEXT]);
  // which sends them to the shortcut, whose moment links the message and so its image (a quick flag would not)
  expect(NO_TEXT).toContain('Use the *Flag moment* shortcut on it');
});

describe('a Slack retry of a reaction that flagged nothing', () => {
  /** The same event sent again, as Slack does when its acknowledgement seemed slow. */
  async function retried(event: Record<string, unknown>, eventId: string): Promise<void> {
    const retry = signed(eventBody(event, eventId), 'application/json');
    await h.post({ body: retry.body, headers: { ...retry.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await listenerRan();
  }

  test('tells the person once that the image has no text, and does not read it again', async () => {
    const image = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: '', blocks: [{ type: 'image', image_url: 'https://example.com/a.png', alt_text: 'ad' }] });
    const event = reaction(PEOPLE.flagger, 'zap', image.ts);
    await h.event(event, 'Ev0IMAGE');
    await listenerRan();

    await retried(event, 'Ev0IMAGE');

    expect(h.standIn.ephemerals(PEOPLE.flagger).map((e) => e.text)).toEqual([NO_TEXT]);
    expect(h.standIn.callsTo('conversations.history')).toHaveLength(1);
  });

  test('tells the person once why the flag was refused (nobody can review its topic)', async () => {
    h.standIn.setUsergroup('S0LEGAL', []);
    await h.app.directory.refresh();
    const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: 'Recall notice: batch 42' });
    const event = reaction(PEOPLE.flagger, 'zap', posted.ts);
    await h.event(event, 'Ev0RECALL');
    await listenerRan();
    const first = h.standIn.ephemerals(PEOPLE.flagger).map((e) => e.text);
    expect(first).toHaveLength(1);

    await retried(event, 'Ev0RECALL');

    expect(h.standIn.ephemerals(PEOPLE.flagger).map((e) => e.text)).toEqual(first);
    expect(h.countOpenMoments()).toBe(0);
  });
});

test('people the message mentions read by name on the card, not as their Slack ids, and ping nobody', async () => {
  // given a message thanking someone by mention, as Slack sends it (no name in the mention)
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: `Launch post: huge thanks to <@${PEOPLE.ana}> for the idea` });
  // when it is flagged
  await h.event(reaction(PEOPLE.flagger, 'zap', posted.ts), 'Ev0MENTION');
  await flaggedMoment();
  // then the copy says who, as the channel showed it
  expect(h.app.store.moments.get(1)?.content.copy).toBe('Launch post: huge thanks to @ana for the idea');
  const card = JSON.stringify(cards()[0]?.blocks);
  expect(card).toContain('huge thanks to @ana for the idea');
  expect(card).not.toContain(`${PEOPLE.ana}> for the idea`);
});

test('a mention Slack cannot name keeps its id, and the flag goes through', async () => {
  h.standIn.inject({ method: 'users.info', fault: { kind: 'slack_error', error: 'user_not_found' } });
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: 'Launch post: thanks to <@U0GONE> for the idea' });
  await h.event(reaction(PEOPLE.flagger, 'zap', posted.ts), 'Ev0GONEUSER');
  await flaggedMoment();
  expect(h.app.store.moments.get(1)?.content.copy).toBe('Launch post: thanks to @U0GONE for the idea');
});

test('a :zap: on a thread reply flags the reply and answers in that thread', async () => {
  const reply = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, thread_ts: sourceTs, text: 'Recall notice: batch 42 is recalled' });
  if (!reply.ts) throw new Error('the reply was not posted');

  await h.event(reaction(PEOPLE.flagger, 'zap', reply.ts), 'Ev0REPLY');
  await flaggedMoment();

  const moment = h.app.store.moments.get(1);
  expect(moment?.source).toMatchObject({ channel: SOURCE_CHANNEL, ts: reply.ts, threadTs: sourceTs });
  expect(moment?.topic).toBe('crisis');
  expect(moment?.content.copy).toBe('Recall notice: batch 42 is recalled');
  expect(sourceThread().map((m) => m.text).join('\n')).toContain('⚡ Flagged for review.');
  // The note names the thread by its parent, as Slack advises, not by the reply.
  const notes = h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === SOURCE_CHANNEL && c.params.thread_ts !== undefined);
  expect(notes.filter((c) => c.params.thread_ts !== sourceTs).map((c) => c.params.thread_ts)).toEqual([]);
  expect(notes.map((c) => c.params.thread_ts)).toContain(sourceTs);
});

test('answers to a reaction on a thread reply are shown in that thread, where the person reacted', async () => {
  // given an image posted as a reply, and a text reply already flagged
  const image = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, thread_ts: sourceTs, text: '', blocks: [{ type: 'image', image_url: 'https://example.com/a.png', alt_text: 'ad' }] });
  const reply = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, thread_ts: sourceTs, text: 'Recall notice: batch 42 is recalled' });
  await h.event(reaction(PEOPLE.flagger, 'zap', reply.ts), 'Ev0REPLYFLAG');
  await flaggedMoment();
  // when someone reacts to the image, and someone else to the flagged reply
  await h.event(reaction(PEOPLE.flagger, 'zap', image.ts), 'Ev0REPLYIMAGE');
  await h.event(reaction(PEOPLE.bea, 'zap', reply.ts), 'Ev0REPLYAGAIN');
  await listenerRan();
  // then both are answered in the thread
  const answers = h.standIn.callsTo('chat.postEphemeral').map((c) => [c.params.user, c.params.thread_ts]);
  expect(answers).toEqual(expect.arrayContaining([[PEOPLE.flagger, sourceTs], [PEOPLE.bea, sourceTs]]));
  expect(answers.filter(([, thread]) => thread !== sourceTs)).toEqual([]);
});

test('a :zap: on a thread reply also sent to the channel keeps its thread too', async () => {
  const reply = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, thread_ts: sourceTs, reply_broadcast: true, text: 'Recall notice: batch 42 is recalled' });
  if (!reply.ts) throw new Error('the reply was not posted');
  await h.event(reaction(PEOPLE.flagger, 'zap', reply.ts), 'Ev0BROADCAST');
  await flaggedMoment();
  expect(h.app.store.moments.get(1)?.source).toMatchObject({ ts: reply.ts, threadTs: sourceTs });
});

test('two people reacting while the message is read: the one whose reaction did not flag is told where the card is', async () => {
  h.standIn.inject({ method: 'conversations.history', times: 1, fault: { kind: 'slow', delayMs: 300 } });
  await h.event(reaction(PEOPLE.flagger), 'Ev0RACE1');
  await h.event(reaction(PEOPLE.bea), 'Ev0RACE2');
  await flaggedMoment();
  await listenerRan();

  const flagger = h.app.store.moments.get(1)?.flaggerId;
  const other = flagger === PEOPLE.flagger ? PEOPLE.bea : PEOPLE.flagger;
  await h.standIn.waitFor(() => h.standIn.ephemerals(other).length > 0, 3000, 'an answer to the reaction that did not flag');
  expect(h.countOpenMoments()).toBe(1);
  expect(h.standIn.ephemerals(other).map((e) => e.text).join('\n')).toContain('already under review as moment #1');
});

describe("Greenlight's own messages", () => {
  function reactionOn(channel: string, ts: string, user: string): Record<string, unknown> {
    return { type: 'reaction_added', user, reaction: 'zap', item: { type: 'message', channel, ts }, item_user: BOT_USER_ID, event_ts: (Date.now() / 1000).toFixed(6) };
  }

  beforeEach(async () => {
    await h.command(PEOPLE.flagger, 'Our new ad: dunk in the dark');
    await h.settle();
  });

  test('a :zap: on the review card (which starts with the same emoji) flags nothing and pings nobody again', async () => {
    const card = h.onlyCard();
    const dmsBefore = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).length;

    const answer = await h.event(reactionOn(REVIEW_CHANNEL, card.ts, PEOPLE.bea));
    await listenerRan();

    expect(answer.status).toBe(200);
    expect(h.app.store.moments.get(2)).toBeUndefined();
    expect(cards()).toHaveLength(1);
    expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(dmsBefore);
  });

  test("a :zap: on Greenlight's DM to a reviewer flags nothing", async () => {
    const dmChannel = h.standIn.dmChannelFor(PEOPLE.ana);
    const dm = h.standIn.messages(dmChannel)[0];
    if (!dm) throw new Error('no DM');

    await h.event(reactionOn(dmChannel, dm.ts, PEOPLE.ana));
    await listenerRan();

    expect(h.app.store.moments.get(2)).toBeUndefined();
  });
});

test('a channel the message mentions is neither its topic tag nor cut from its copy', async () => {
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: 'Big match tonight: the whole team is watching in <#C0CRISISROOM|crisis> tonight' });
  if (!posted.ts) throw new Error('not posted');

  await h.event(reaction(PEOPLE.flagger, 'zap', posted.ts));
  await flaggedMoment();

  const moment = h.app.store.moments.get(1);
  expect(moment?.topic).toBe('default');
  expect(moment?.content.copy).toContain('watching in #crisis tonight');
});

test('a typed #topic tag in the message still chooses the topic and leaves the copy', async () => {
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: 'Recall rumour: answer it &amp; fast #crisis' });
  if (!posted.ts) throw new Error('not posted');

  await h.event(reaction(PEOPLE.flagger, 'zap', posted.ts));
  await flaggedMoment();

  const moment = h.app.store.moments.get(1);
  expect(moment?.topic).toBe('crisis');
  expect(moment?.content.title).toBe('Recall rumour');
  expect(moment?.content.copy).toBe('Recall rumour: answer it & fast');
});

/** Days go by, swept each, until moment 1 has timed out at every tier. */
async function untilExpired(): Promise<void> {
  for (let sweeps = 0; sweeps < 5 && h.app.store.moments.get(1)?.state.status !== 'expired'; sweeps += 1) {
    h.advance(24 * 60 * 60_000);
    h.app.scanner.sweep();
    await h.settle();
  }
  expect(h.app.store.moments.get(1)?.state.status).toBe('expired');
}

/** bea asks for changes to moment 1; with `revised`, the flagger then sends that copy as revision 2. */
async function changesAsked(revised?: string): Promise<void> {
  const changes = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Tone it down' } } };
  expect((await h.submitView(PEOPLE.bea, VIEW.requestChanges, changes, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }))).text).toBe('');
  await h.settle();
  if (revised === undefined) return;
  const revision = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Our new ad' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: revised } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
  expect((await h.submitView(PEOPLE.flagger, VIEW.revise, revision, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }))).text).toBe('');
  await h.settle();
}

test('a moment approved as revised says so in the flagged message\'s thread: the words right above it are not what was approved', async () => {
  await h.event(reaction(PEOPLE.flagger), 'Ev0REVISED');
  await flaggedMoment();
  await changesAsked('Our new ad: dunk politely, lights on');
  await h.click(PEOPLE.ana, ACTION.approve, '1:2:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  const said = sourceThread().at(-1)?.text ?? '';
  expect(said).toContain('🎉 Approved as revised (revision 2): go post the approved copy, from the card.');
  expect(said).not.toContain('Go post it!');
});

describe('an approval looks at the flagged message again: what it says now may not be what was approved', () => {
  /** The flagger's DMs, oldest first. */
  const flaggerDms = () => h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);

  async function approvedAfter(change: () => Promise<unknown>): Promise<{ thread: string; dm: string }> {
    await h.event(reaction(PEOPLE.flagger), 'Ev0LOOKAGAIN');
    await flaggedMoment();
    await change();
    await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
    await h.settle();
    expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
    return { thread: sourceThread().at(-1)?.text ?? '', dm: flaggerDms().at(-1) ?? '' };
  }

  test('unchanged, or changed only in its spacing: "Go post it!"', async () => {
    const { thread, dm } = await approvedAfter(() => slack.chat.update({ channel: SOURCE_CHANNEL, ts: sourceTs, text: SOURCE_TEXT.replace(' ', '\n') }));
    expect(thread).toContain('🎉 Approved. Go post it!');
    expect(dm).toContain('*Our new ad* is approved. Go post it!');
  });

  test('edited after the flag: the thread and the flagger are told to post the approved copy, not the message', async () => {
    const { thread, dm } = await approvedAfter(() => slack.chat.update({ channel: SOURCE_CHANNEL, ts: sourceTs, text: 'Our new ad: dunk in the dark, and mock the other team' }));
    expect(thread).toContain('🎉 Approved as it was flagged, not as the message was edited since: go post the approved copy');
    expect(dm).toContain('*Our new ad* is approved as it was flagged, not as the message was edited since: go post the approved copy');
    for (const said of [thread, dm]) expect(said).not.toContain('Go post it!');
    // the DM carries the copy the reviewers approved
    expect(dm).toContain('\n> Our new ad: dunk in the dark, lights off');
  });

  test('its #topic tag taken out since (an instruction to Greenlight, left out of the copy): "Go post it!"', async () => {
    // given a draft ending in "#sports", flagged: sports reviewers get a card without the tag
    const tagged = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: `${SOURCE_TEXT} #sports` });
    await h.event(reaction(PEOPLE.flagger, 'zap', tagged.ts), 'Ev0TAGGED');
    await flaggedMoment();
    expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'sports', content: { copy: SOURCE_TEXT } });
    // when the flagger takes the tag out of the draft, which now says exactly the copy on the card, and brand approves
    await slack.chat.update({ channel: SOURCE_CHANNEL, ts: tagged.ts ?? '', text: SOURCE_TEXT });
    await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
    await h.settle();
    // then the thread and the flagger are told to go post it
    const thread = h.standIn.messages(SOURCE_CHANNEL).filter((m) => m.threadTs === tagged.ts).at(-1)?.text ?? '';
    expect(thread).toContain('🎉 Approved. Go post it!');
    expect(flaggerDms().at(-1)).toContain('*Our new ad* is approved. Go post it!');
  });

  test('deleted after the flag (Slack keeps it as a tombstone under its thread): said so', async () => {
    const { dm } = await approvedAfter(() => slack.chat.delete({ channel: SOURCE_CHANNEL, ts: sourceTs }));
    expect(dm).toContain('*Our new ad* is approved, and the flagged message was deleted since: go post the approved copy');
  });

  test('Slack not answering the look: words right either way, and the approval still told', async () => {
    const { thread, dm } = await approvedAfter(async () => {
      h.standIn.inject({ method: 'conversations.history', fault: { kind: 'slack_error', error: 'internal_error' } });
    });
    expect(thread).toContain('🎉 Approved: go post the approved copy');
    expect(dm).toContain('*Our new ad* is approved: go post the approved copy');
    for (const said of [thread, dm]) expect(said).not.toContain('Go post it!');
  });
});

test("an expiry while the flagger's revision was awaited reads in the flagged message's thread as any expiry: the request for changes stays with the card", async () => {
  await h.event(reaction(PEOPLE.flagger), 'Ev0AWAITED');
  await flaggedMoment();
  await changesAsked();
  await untilExpired();
  const said = sourceThread().at(-1)?.text ?? '';
  expect(said).toContain('⌛ Expired: it was not approved in time');
  expect(said).not.toContain('revision');
});

test('a :zap: on a message whose moment expired unanswered flags it again; one decided says how it ended', async () => {
  // given the message flagged by reaction, then left undecided through every tier until it expired
  await h.event(reaction(PEOPLE.flagger), 'Ev0FIRSTFLAG');
  await flaggedMoment();
  await untilExpired();
  // when someone reacts again, the morning after
  await h.event(reaction(PEOPLE.bea), 'Ev0SECONDFLAG');
  await h.standIn.waitFor(() => h.app.store.moments.get(2) !== undefined, 3000, 'the second moment');
  await h.settle();
  // then a new moment reviews it: nobody decided the first one, so nothing stands in its way
  expect(h.app.store.moments.get(2)).toMatchObject({ flaggerId: PEOPLE.bea, source: { channel: SOURCE_CHANNEL, ts: sourceTs }, state: { status: 'pending' } });
  expect(cards()).toHaveLength(2);
  // and once that one is approved, a third flag is told how its review ended, and no moment is made
  await h.click(PEOPLE.ana, ACTION.approve, '2:1:0');
  await h.settle();
  expect(h.app.store.moments.get(2)?.state.status).toBe('approved');
  await h.event(reaction(PEOPLE.lead), 'Ev0THIRDFLAG');
  await h.standIn.waitFor(() => h.standIn.ephemerals(PEOPLE.lead).length > 0, 3000, 'the answer to the third flag');
  expect(h.standIn.ephemerals(PEOPLE.lead)[0]?.text).toContain('reviewed already, as moment #2, which was approved');
  expect(h.app.store.moments.get(3)).toBeUndefined();
});

test('a :zap: on a message whose moment expired waiting for a revision flags nothing: reviewers asked for those words to change', async () => {
  // given the message flagged, bea asking for changes, and no revision before the deadline
  await h.event(reaction(PEOPLE.flagger), 'Ev0HELD1');
  await flaggedMoment();
  await changesAsked();
  await untilExpired();
  // when someone reacts again the next morning
  await h.event(reaction(PEOPLE.lead), 'Ev0HELD2');
  await h.standIn.waitFor(() => h.standIn.ephemerals(PEOPLE.lead).length > 0, 3000, 'the answer to the lead');
  // then no second moment puts the unrevised words back up, and they are told to flag the revised words instead
  expect(h.app.store.moments.get(2)).toBeUndefined();
  expect(h.standIn.ephemerals(PEOPLE.lead)[0]?.text).toContain("Reviewers asked for this message's words to change, as moment #1, which then expired: flag the revised words with `/moment` instead.");
});

test('a :zap: on a message whose revision expired undecided flags nothing either: the message still says what reviewers asked to change', async () => {
  // given the message flagged, bea asking for changes, the flagger revising in Greenlight (the message stays as it was),
  // and nobody deciding the revision in time
  await h.event(reaction(PEOPLE.flagger), 'Ev0REVISED1');
  await flaggedMoment();
  await changesAsked('Our new ad: dunk in the dark https://example.com/ad');
  expect(h.app.store.moments.get(1)?.revision).toBe(2);
  await untilExpired();
  // when someone reacts to the message again
  await h.event(reaction(PEOPLE.lead), 'Ev0REVISED2');
  await h.standIn.waitFor(() => h.standIn.ephemerals(PEOPLE.lead).length > 0, 3000, 'the answer to the lead');
  // then the words bea asked to change do not go back up as a new moment
  expect(h.app.store.moments.get(2)).toBeUndefined();
  expect(cards()).toHaveLength(1);
  expect(h.standIn.ephemerals(PEOPLE.lead)[0]?.text).toContain("Reviewers asked for this message's words to change, as moment #1, which then expired: flag the revised words with `/moment` instead.");
});

test('a second reactor on a message whose card Slack refused is told the reviewers decide from their DMs, not that the card is on its way', async () => {
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, fault: { kind: 'slack_error', error: 'not_in_channel' } });
  await h.event(reaction(PEOPLE.flagger), 'Ev0NOCARD1');
  await flaggedMoment();
  expect(h.app.store.moments.card(1)).toBeUndefined();
  await h.event(reaction(PEOPLE.bea), 'Ev0NOCARD2');
  await h.standIn.waitFor(() => h.standIn.ephemerals(PEOPLE.bea).length > 0, 3000, 'the answer to bea');
  const told = h.standIn.ephemerals(PEOPLE.bea)[0]?.text ?? '';
  expect(told).toContain('already under review as moment #1: its card could not be posted, so its reviewers decide from the DMs they were sent');
});

test('a :zap: on a message deleted before Greenlight read it tells the reactor nothing was flagged', async () => {
  await h.event(reaction(PEOPLE.bea, 'zap', '1700000000.999999'), 'Ev0GONE');
  await h.standIn.waitFor(() => h.standIn.ephemerals(PEOPLE.bea).length > 0, 3000, 'the answer to bea');
  expect(h.standIn.ephemerals(PEOPLE.bea).map((e) => ({ channel: e.channel, text: e.text }))).toEqual([{ channel: SOURCE_CHANNEL, text: MESSAGE_GONE }]);
  expect(h.countOpenMoments()).toBe(0);
});

test('a :zap: on a message whose moment its flagger withdrew flags it again', async () => {
  // given the message flagged by reaction, then withdrawn from its card
  await h.event(reaction(PEOPLE.flagger), 'Ev0FIRSTFLAG');
  await flaggedMoment();
  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('withdrawn');
  // when someone reacts again
  await h.event(reaction(PEOPLE.bea), 'Ev0SECONDFLAG');
  await h.standIn.waitFor(() => h.app.store.moments.get(2) !== undefined, 3000, 'the second moment');
  await h.settle();
  // then a new moment reviews it, and the thread hears of both
  expect(h.app.store.moments.get(2)).toMatchObject({ flaggerId: PEOPLE.bea, source: { channel: SOURCE_CHANNEL, ts: sourceTs }, state: { status: 'pending' } });
  expect(cards()).toHaveLength(2);
});
