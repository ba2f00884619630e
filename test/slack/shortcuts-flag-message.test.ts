import type { WebClient } from '@slack/web-api';
import type { OpenedView, StoredMessage } from '../../src/sandbox/slack-stand-in';
import { wordsFingerprint } from '../../src/slack/message-words';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { FORM_NOT_OPENED, OWN_MESSAGE } from '../../src/slack/shortcuts/flag-message';
import { STORE_FAILED_MESSAGE } from '../../src/slack/unsaved-answer';
import { keptOrigin } from '../helpers/forms';
import { MESSAGE_WITH_PREVIEW } from '../helpers/link-preview';
import { PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';
import { flagShortcutRequest, type ShortcutMessage } from '../helpers/flag-shortcut';
import { nextId, type SignedRequest, type ViewValues } from '../helpers/slack-requests';

/** The "Flag moment" message shortcut: the form, prefilled with the message's text and permalink. */


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

/** A message in the stand-in (so chat.getPermalink finds it). */
async function seed(text: string): Promise<StoredMessage> {
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text });
  const message = posted.ts === undefined ? undefined : h.standIn.findMessage(SOURCE_CHANNEL, posted.ts);
  if (!message) throw new Error('the message was not seeded');
  return message;
}

/** A signed message_action payload for the flag_moment shortcut, as Slack sends it. */
function shortcutRequest(userId: string, message: ShortcutMessage, triggerId: string, author?: { user: string; bot_id?: string }): SignedRequest {
  return flagShortcutRequest(h, userId, message, { triggerId, ...(author ? { author } : {}) });
}

/** The initial value of an input in a view, by block id. */
function initialValue(view: Record<string, unknown>, blockId: string): unknown {
  const blocks: unknown = view.blocks;
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks) {
    if (typeof block !== 'object' || block === null || !('block_id' in block) || block.block_id !== blockId) continue;
    const element: unknown = 'element' in block ? block.element : undefined;
    return typeof element === 'object' && element !== null && 'initial_value' in element ? element.initial_value : undefined;
  }
  return undefined;
}

async function openedModal(): Promise<OpenedView> {
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the flag modal');
  const views = h.standIn.openedViews();
  expect(views).toHaveLength(1);
  const view = views[0];
  if (!view) throw new Error('no modal');
  return view;
}

/** What the person sends back when they keep the prefilled copy and link. */
function submitPrefilled(modal: OpenedView, title: string): ViewValues {
  const link = initialValue(modal.view, FIELD.link.block);
  return {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: title } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: String(initialValue(modal.view, FIELD.copy.block)) } },
    [FIELD.link.block]: { [FIELD.link.input]: { type: 'url_text_input', value: typeof link === 'string' ? link : null } },
    [FIELD.topic.block]: { [FIELD.topic.input]: { type: 'static_select', selected_option: { value: 'default' } } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
}

/** A message flagged by its flagger through the shortcut's form, titled "Game night"; the form it was sent from. */
async function flaggedThroughShortcut(): Promise<{ message: StoredMessage; first: OpenedView }> {
  const message = await seed('Dunk in the dark');
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const first = await openedModal();
  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(first, 'Game night'), String(first.view.private_metadata));
  await h.settle();
  return { message, first };
}

function permalinkOf(message: StoredMessage): string {
  return `https://greenlight-sandbox.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
}

test('the shortcut opens the flag modal prefilled with the message text, its opening words as title, and no link of its own', async () => {
  const message = await seed('Dunk in the dark & keep the lights off');
  const triggerId = nextId('trigger.');

  const answer = await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text: 'Dunk in the dark &amp; keep the lights off' }, triggerId));
  expect(answer.status).toBe(200);
  const modal = await openedModal();
  await h.settle();

  expect(modal.triggerId).toBe(triggerId);
  expect(modal.view.callback_id).toBe(VIEW.flag);
  expect(initialValue(modal.view, FIELD.title.block)).toBe('Dunk in the dark & keep the lights off');
  expect(initialValue(modal.view, FIELD.copy.block)).toBe('Dunk in the dark & keep the lights off');
  // The message itself is the moment's source (kept by Greenlight), not its link: the card links it as where it was said.
  expect(initialValue(modal.view, FIELD.link.block)).toBeUndefined();
  // and the copy it showed as a fingerprint, by which words changed in the form are told apart from the message's
  expect(keptOrigin(h, modal, PEOPLE.flagger)).toEqual({
    channel: SOURCE_CHANNEL,
    // the message's words as Slack sent them, to tell at the approval whether they were edited since
    source: { channel: SOURCE_CHANNEL, ts: message.ts, permalink: permalinkOf(message), wordsSeen: wordsFingerprint('Dunk in the dark &amp; keep the lights off') },
    copyShown: wordsFingerprint('Dunk in the dark & keep the lights off'),
  });
  // the form itself carries only the channel and the origin's key, and the origin is kept for its opener alone
  expect(Object.keys(JSON.parse(String(modal.view.private_metadata)))).toEqual(['channel', 'origin']);
  expect(keptOrigin(h, modal, PEOPLE.outsider)).toBe('not_kept');
  expect(h.countOpenMoments()).toBe(0);
});

test('the form opens on the topic the message\'s words choose: a keyword routes, a linked channel named like a topic does not', async () => {
  const topicOf = (modal: OpenedView) => JSON.stringify(modal.view.blocks).match(/"initial_option":\{"text":\{"type":"plain_text","text":"[^"]*"\},"value":"([^"]*)"\}/)?.[1];
  // a message about an outage opens on crisis
  const outage = await seed('Power outage at the plant');
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: outage.ts, text: 'Power outage at the plant' }, nextId('trigger.')));
  expect(topicOf(await openedModal())).toBe('crisis');
  // a message linking the #sports channel (as Slack sends it) opens on default, as a flag reaction routes it
  const linked = await seed('Watch this in <#C0SPORTS|sports>');
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: linked.ts, text: 'Watch this in <#C0SPORTS|sports>' }, nextId('trigger.')));
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 2, 3000, 'the second flag modal');
  expect(topicOf(h.standIn.openedViews()[1]!)).toBe('default');
});

test('the form\'s copy names the people the message mentions, as the channel shows them', async () => {
  const text = `Huge thanks to <@${PEOPLE.ana}> and <@${PEOPLE.bea}> for the idea`;
  const message = await seed(text);
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text }, nextId('trigger.')));
  const modal = await openedModal();
  expect(initialValue(modal.view, FIELD.copy.block)).toBe('Huge thanks to @ana and @bea for the idea');
});

test('a #topic tag at the end of the message picks the form\'s topic and is left out of its copy, as a reaction does', async () => {
  const text = 'Big game tonight, go team #sports';
  const message = await seed(text);
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text }, nextId('trigger.')));
  const modal = await openedModal();
  expect(initialValue(modal.view, FIELD.copy.block)).toBe('Big game tonight, go team');
  expect(JSON.stringify(modal.view.blocks)).toContain('"initial_option":{"text":{"type":"plain_text","text":"sports"},"value":"sports"}');
});

test('submitting the prefilled modal flags the message and replies in its thread', async () => {
  const message = await seed('Dunk in the dark');
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();

  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(modal, 'Game night'), String(modal.view.private_metadata));
  await h.settle();

  expect(answer).toEqual({ status: 200, text: '' });
  const moment = h.app.store.moments.get(1);
  expect(moment?.source).toEqual({ channel: SOURCE_CHANNEL, ts: message.ts, permalink: permalinkOf(message), wordsSeen: wordsFingerprint('Dunk in the dark') });
  expect(moment?.content).toMatchObject({ title: 'Game night', copy: 'Dunk in the dark' });
  expect(moment?.content.link).toBeUndefined();
  const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
  if (!card) throw new Error('no card');
  const thread = h.standIn.messages(SOURCE_CHANNEL).filter((m) => m.threadTs === message.ts);
  expect(thread).toHaveLength(1);
  expect(thread[0]?.text).toContain(permalinkOf(card));
});

describe("the flagged message's thread, once the moment is approved", () => {
  /** Flags a draft through the form, with its copy as the form showed it or as `copy`, and brand approves it. */
  async function approvedAfterFlagging(copy?: string, meanwhile?: (message: StoredMessage) => Promise<unknown>): Promise<StoredMessage> {
    const message = await seed('Our new shoe is 100% recycled and the greenest on the market. Launch post tonight!');
    await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
    const modal = await openedModal();
    const values = submitPrefilled(modal, 'Shoe launch');
    const copyField = values[FIELD.copy.block]?.[FIELD.copy.input];
    if (!copyField) throw new Error('no copy field');
    if (copy !== undefined) copyField.value = copy;
    await h.submitView(PEOPLE.flagger, VIEW.flag, values, String(modal.view.private_metadata));
    await h.settle();
    await meanwhile?.(message);
    await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
    await h.settle();
    expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
    return message;
  }
  const lastReply = (message: StoredMessage) => h.standIn.messages(SOURCE_CHANNEL).filter((m) => m.threadTs === message.ts).at(-1)?.text ?? '';

  test('says to go post the approved copy from the card when the flagger changed the words in the form, not "Go post it!" under words nobody approved', async () => {
    // given a draft sent for review with its risky claim taken out in the form
    const message = await approvedAfterFlagging('Our new shoe is made with recycled materials. Launch post tonight!');
    // then the thread under the original words points at the approved copy
    expect(h.app.store.moments.get(1)?.source?.edited).toBe(true);
    expect(lastReply(message)).toContain('🎉 Approved as edited when it was flagged: go post the approved copy, from the card');
    expect(lastReply(message)).not.toContain('Go post it!');
  });

  test('says "Go post it!" when the words reviewed are the message\'s own, spaced as Slack gives the field back or not', async () => {
    const message = await approvedAfterFlagging('Our new shoe is 100% recycled and the greenest on the market.\n\nLaunch post tonight!  ');
    expect(h.app.store.moments.get(1)?.source?.edited).toBeUndefined();
    expect(lastReply(message)).toContain('🎉 Approved. Go post it!');
  });

  test('says to post the approved copy, not the message, when the message was edited in Slack after the form was sent', async () => {
    // given the draft sent for review as it was, and the risky claim put back in Slack while the reviewers read it
    const edit = (message: StoredMessage) => slack.chat.update({ channel: SOURCE_CHANNEL, ts: message.ts, text: `${message.text} Best shoe ever made!` });
    const message = await approvedAfterFlagging(undefined, edit);
    expect(lastReply(message)).toContain('🎉 Approved as it was flagged, not as the message was edited since: go post the approved copy, from the card');
    expect(lastReply(message)).not.toContain('Go post it!');
  });
});

test('an image post flagged with the shortcut tells its reviewers there is an image to see, not only its caption', async () => {
  // given a person's image post with a caption
  const files = [{ id: 'F0AD', name: 'dunk-in-the-dark.png', title: 'dunk-in-the-dark.png', mimetype: 'image/png' }];
  const message = h.standIn.postAs(PEOPLE.ana, SOURCE_CHANNEL, 'Ready for tonight? Dunk in the dark.', undefined, files);
  // when it is flagged with the shortcut, its form sent as it opened
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text: message.text, files }, nextId('trigger.')));
  const form = await openedModal();
  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(form, 'Ready for tonight?'), String(form.view.private_metadata));
  await h.settle();
  // then the card and the review DM say what else the message carries, and where to see it
  const said = '📎 1 image (dunk-in-the-dark.png): open the message to see it';
  expect(JSON.stringify(h.onlyCard().blocks)).toContain(said);
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks)).toContain(said);
});

test('an image post flagged from a direct message does not send reviewers, who are not in it, to open the message', async () => {
  // given an image post in the flagger's DM with the agency (ana is not in it), flagged with the shortcut
  const DM = 'D0AGENCY';
  const files = [{ id: 'F0AD', name: 'dunk.png', title: 'dunk.png', mimetype: 'image/png' }];
  const message = h.standIn.postAs(PEOPLE.outsider, DM, 'Ready for tonight? Dunk in the dark.', undefined, files);
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text: message.text, files, channel: DM }, nextId('trigger.'), { user: PEOPLE.outsider }));
  const form = await openedModal();
  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(form, 'Ready for tonight?'), String(form.view.private_metadata));
  await h.settle();
  // then ana's review DM, which says the moment comes from a direct message, names the image
  const dm = JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks);
  expect(dm).toContain('From a direct message');
  expect(dm).toContain('📎 1 image (dunk.png)');
  // but does not tell her to open a message only the DM's members can open: she cannot see the image there
  expect(dm).not.toContain('open the message to see it');
  expect(dm).toContain('ask the flagger to share it');
});

test('a message with a title and a link opens the form as a flag reaction reads it, and the card shows each link once', async () => {
  // given a message "Launch day: new ad https://example.com/ad"
  const message = await seed('Launch day: new ad https://example.com/ad');
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text: 'Launch day: new ad <https://example.com/ad>' }, nextId('trigger.')));
  const modal = await openedModal();
  // then the form opens with its title and its link, ready to send as it is
  expect(initialValue(modal.view, FIELD.title.block)).toBe('Launch day');
  expect(initialValue(modal.view, FIELD.link.block)).toBe('https://example.com/ad');
  const values = submitPrefilled(modal, 'Launch day');
  expect(await h.submitView(PEOPLE.flagger, VIEW.flag, values, String(modal.view.private_metadata))).toEqual({ status: 200, text: '' });
  await h.settle();
  // and the card gives the ad as its source and the message as where it was said, each once
  const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
  const facts = JSON.stringify(card?.blocks);
  expect(facts).toContain('Source: <https://example.com/ad>');
  expect(facts.split(permalinkOf(message)).length - 1).toBe(1);
});

test('a message flagged in a channel Greenlight is not in: its thread is not told, and nothing is logged as a fault to fix', async () => {
  // given a harness whose log is kept, and the stand-in refusing Greenlight's posts in the message's channel
  await h.close();
  const lines: string[] = [];
  h = await startHarness({ logLines: lines });
  slack = slackClient(h);
  const message = await seed('Dunk in the dark');
  h.standIn.inject({ method: 'chat.postMessage', channel: SOURCE_CHANNEL, fault: { kind: 'slack_error', error: 'not_in_channel' } });
  // when it is flagged through the shortcut and approved
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();
  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(modal, 'Game night'), String(modal.view.private_metadata));
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  // then the moment went its way (card, approval), the thread replies were skipped, and no error names a fix
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  expect(lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  expect(lines.filter((line) => line.includes('routing file'))).toEqual([]);
  expect(h.app.store.outbox.stats()).toMatchObject({ open: 0, failed: 0 });
});

test('a reply in a thread, flagged, is answered in its thread under the thread\'s parent, as Slack advises', async () => {
  const parent = await seed('Who saw the game last night?');
  const posted = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, thread_ts: parent.ts, text: 'Dunk in the dark' });
  if (!posted.ts) throw new Error('the reply was not posted');
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: posted.ts, text: 'Dunk in the dark', threadTs: parent.ts }, nextId('trigger.')));
  const modal = await openedModal();

  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(modal, 'Game night'), String(modal.view.private_metadata));
  await h.settle();

  expect(h.app.store.moments.get(1)?.source).toMatchObject({ channel: SOURCE_CHANNEL, ts: posted.ts, threadTs: parent.ts });
  const notes = h.standIn
    .callsTo('chat.postMessage')
    .filter((c) => c.params.channel === SOURCE_CHANNEL && c.params.thread_ts !== undefined && c.params.text !== 'Dunk in the dark');
  expect(notes.map((c) => c.params.thread_ts)).toEqual([parent.ts]);
  expect(String(notes[0]?.params.text)).toContain('⚡ Flagged for review.');
});

test('the shortcut still opens the modal when the permalink cannot be read', async () => {
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: '1600000000.000001', text: 'Gone already' }, nextId('trigger.')));
  const modal = await openedModal();

  expect(initialValue(modal.view, FIELD.copy.block)).toBe('Gone already');
  const source = { channel: SOURCE_CHANNEL, ts: '1600000000.000001', wordsSeen: wordsFingerprint('Gone already') };
  expect(keptOrigin(h, modal, PEOPLE.flagger)).toEqual({ channel: SOURCE_CHANNEL, source, copyShown: wordsFingerprint('Gone already') });
});

test('a permalink Slack is slow to give does not keep the form from opening within the trigger\'s 3 s', async () => {
  const message = await seed('Dunk in the dark');
  h.standIn.inject({ method: 'chat.getPermalink', times: 1, fault: { kind: 'slow', delayMs: 2800 } });
  const started = Date.now();
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();
  // opened about a second in, with the message, without its permalink (the card then names the channel, with no link)
  expect(Date.now() - started).toBeLessThan(2000);
  expect(keptOrigin(h, modal, PEOPLE.flagger)).toMatchObject({ source: { channel: SOURCE_CHANNEL, ts: message.ts } });
  expect(JSON.stringify(keptOrigin(h, modal, PEOPLE.flagger))).not.toContain('permalink');
  expect(initialValue(modal.view, FIELD.copy.block)).toBe('Dunk in the dark');
});

test('flagging a message that is already under review tells the person where its card is', async () => {
  // given someone who opened the form on a message, which the flagger then flagged before they sent it
  const message = await seed('Dunk in the dark');
  await h.post(shortcutRequest(PEOPLE.outsider, message, nextId('trigger.')));
  const theirs = await openedModal();
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 2, 3000, "the flagger's form");
  const flaggers = h.standIn.openedViews()[1]!;
  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(flaggers, 'Game night'), String(flaggers.view.private_metadata));
  await h.settle();
  const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
  if (!card) throw new Error('no card');

  // when they send theirs
  const answer = await h.submitView(PEOPLE.outsider, VIEW.flag, submitPrefilled(theirs, 'Game night again'), String(theirs.view.private_metadata));
  await h.settle();

  expect(h.app.store.moments.get(2)).toBeUndefined();
  const toOutsider = [
    answer.text,
    ...h.standIn.ephemerals(PEOPLE.outsider).map((e) => e.text),
    ...h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.outsider)).map((m) => m.text),
  ].join('\n');
  expect(toOutsider).toContain(permalinkOf(card));
});

test('the shortcut on a message already under review answers with its card at once, instead of a form that could never be sent', async () => {
  // given a message flagged through the shortcut
  const { message } = await flaggedThroughShortcut();
  const card = h.onlyCard(REVIEW_CHANNEL);
  // when someone else uses the shortcut on it
  expect((await h.post(shortcutRequest(PEOPLE.outsider, message, nextId('trigger.')))).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.responses(`shortcut-${PEOPLE.outsider}`).length > 0, 3000, 'the answer');
  // then no second form opens, and they are told where the card is
  expect(h.standIn.openedViews()).toHaveLength(1);
  expect(String(h.standIn.responses(`shortcut-${PEOPLE.outsider}`)[0]?.body.text)).toContain(permalinkOf(card));
});

test('a form Slack refuses to open (its trigger ran out) is answered, so the person knows to try again', async () => {
  const message = await seed('Dunk in the dark');
  h.standIn.inject({ method: 'views.open', times: 1, fault: { kind: 'slack_error', error: 'expired_trigger_id' } });
  expect((await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')))).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.responses(`shortcut-${PEOPLE.flagger}`).length > 0, 3000, 'the answer');
  expect(h.standIn.responses(`shortcut-${PEOPLE.flagger}`).map((r) => r.body.text)).toEqual([FORM_NOT_OPENED]);
  expect(h.countOpenMoments()).toBe(0);
});

test('a message longer than the form can show is still stored whole when flagged through the shortcut', async () => {
  const long = `${'Dunk in the dark, keep the lights off. '.repeat(120)}End.`;
  expect(long.length).toBeGreaterThan(3000);
  const message = await seed(long);
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();

  await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(modal, 'The long read'), String(modal.view.private_metadata));
  await h.settle();

  expect(h.app.store.moments.get(1)?.content.copy).toBe(long);
  // kept as it is, so its words are the message's
  expect(h.app.store.moments.get(1)?.source?.edited).toBeUndefined();
});

test('a message longer than a typed copy may be (up to Slack\'s 40,000) is still stored whole when kept as it is', async () => {
  const long = `${'Dunk in the dark, keep the lights off. '.repeat(600)}End.`;
  expect(long.length).toBeGreaterThan(20_000);
  const message = await seed(long);
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();

  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(modal, 'The longest read'), String(modal.view.private_metadata));
  await h.settle();

  expect(answer.text).toBe('');
  expect(h.app.store.moments.get(1)?.content.copy).toBe(long);
});

test('a form whose long message cannot be read back when submitted is answered in the form, not left to Slack\'s timeout', async () => {
  // given the form for a long message (its whole text kept aside for the submit)
  const message = await seed(`${'Dunk in the dark, keep the lights off. '.repeat(120)}End.`);
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();
  // when it is submitted while the database fails to read that text
  h.app.store.flagDrafts.text = () => {
    throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
  };
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(modal, 'The long read'), String(modal.view.private_metadata));
  // then the form says so at once, and nothing is flagged
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: STORE_FAILED_MESSAGE } });
  expect(h.countOpenMoments()).toBe(0);
});

test('an edited shortened copy is stored as the person edited it', async () => {
  const long = `${'Dunk in the dark, keep the lights off. '.repeat(120)}End.`;
  const message = await seed(long);
  await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  const modal = await openedModal();
  const values = submitPrefilled(modal, 'The short read');
  const copyField = values[FIELD.copy.block]?.[FIELD.copy.input];
  if (!copyField) throw new Error('no copy field');
  copyField.value = 'Dunk in the dark.';

  await h.submitView(PEOPLE.flagger, VIEW.flag, values, String(modal.view.private_metadata));
  await h.settle();

  expect(h.app.store.moments.get(1)?.content.copy).toBe('Dunk in the dark.');
});

test('a long message whose whole text cannot be saved for the form tells the person instead of opening a cut form', async () => {
  const long = `${'Dunk in the dark, keep the lights off. '.repeat(120)}End.`;
  const message = await seed(long);
  h.app.store.flagDrafts.put = () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };

  const answer = await h.post(shortcutRequest(PEOPLE.flagger, message, nextId('trigger.')));
  await h.standIn.waitFor(() => h.standIn.responses(`shortcut-${PEOPLE.flagger}`).length > 0, 3000, 'the answer to the flagger');

  expect(answer.status).toBe(200);
  expect(h.standIn.responses(`shortcut-${PEOPLE.flagger}`).map((r) => r.body)).toEqual([{ response_type: 'ephemeral', replace_original: false, text: STORE_FAILED_MESSAGE }]);
  expect(h.standIn.openedViews()).toHaveLength(0);
});

test('a message whose moment was withdrawn can be flagged again; one reviewed to the end says how it ended', async () => {
  // given a message flagged through the shortcut, then withdrawn by its flagger
  const { first } = await flaggedThroughShortcut();
  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('withdrawn');
  // when it is flagged again from the same message
  const again = await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(first, 'Game night, fixed'), String(first.view.private_metadata));
  await h.settle();
  // then it is moment #2, under review
  expect(again.text).toBe('');
  expect(h.app.store.moments.get(2)?.content.title).toBe('Game night, fixed');
  // and once that one is approved, a third flag of the message is told it was reviewed, and how it ended
  await h.click(PEOPLE.ana, ACTION.approve, '2:1:0');
  await h.settle();
  const third = await h.submitView(PEOPLE.flagger, VIEW.flag, submitPrefilled(first, 'Game night, again'), String(first.view.private_metadata));
  expect(JSON.parse(third.text)).toMatchObject({ response_action: 'errors', errors: { [FIELD.title.block]: expect.stringContaining('This message was reviewed already, as moment #2, which was approved:') } });
  expect(h.app.store.moments.get(3)).toBeUndefined();
});

test("the shortcut on one of Greenlight's own messages (a card) opens no form and says why", async () => {
  // given a card in the review channel
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
  await h.settle();
  const card = h.onlyCard();
  // when someone uses the shortcut on it (Slack names the bot as its author)
  const answer = await h.post(shortcutRequest(PEOPLE.bea, card, nextId('trigger.'), { user: 'U0GREENLIGHT', bot_id: 'B0GREENLIGHT' }));
  await h.standIn.waitFor(() => h.standIn.responses(`shortcut-${PEOPLE.bea}`).length > 0, 3000, 'the answer to bea');
  // then no form opens, and she is told to decide on the card or flag the original message
  expect(answer.status).toBe(200);
  expect(h.standIn.openedViews()).toHaveLength(0);
  expect(h.standIn.responses(`shortcut-${PEOPLE.bea}`).map((r) => r.body)).toEqual([{ response_type: 'ephemeral', replace_original: false, text: OWN_MESSAGE }]);
});

test("the form for a message whose link Slack previewed is prefilled with the person's words and link, not the preview's", async () => {
  const message = await seed(MESSAGE_WITH_PREVIEW.text);
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, ...MESSAGE_WITH_PREVIEW }, nextId('trigger.')));
  const modal = await openedModal();
  expect(initialValue(modal.view, FIELD.copy.block)).toContain('Reply to this with our take?');
  expect(initialValue(modal.view, FIELD.link.block)).toBe('https://news.example.com/story');
});

test('the form for a message with a bold link is prefilled with the link Slack marked', async () => {
  const message = await seed('New ad is live: *<https://example.com/ad>*');
  await h.post(shortcutRequest(PEOPLE.flagger, { ts: message.ts, text: 'New ad is live: *<https://example.com/ad>*' }, nextId('trigger.')));
  expect(initialValue((await openedModal()).view, FIELD.link.block)).toBe('https://example.com/ad');
});
