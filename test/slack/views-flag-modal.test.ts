import Database from 'better-sqlite3';
import type { StoredMessage } from '../../src/sandbox/slack-stand-in';
import { FIELD, LIMIT, VIEW } from '../../src/slack/ids';
import { COPY_MAX } from '../../src/slack/blocks/flag-modal';
import { wordsFingerprint } from '../../src/slack/message-words';
import { flagFormMetadata } from '../helpers/forms';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/** The flag form's submit: fields checked next to each field, whole copy stored, the card cut to Block Kit limits. */


let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const ORIGIN = JSON.stringify({ channel: 'C0GENERAL' });

interface FlagFields {
  readonly title?: string | null;
  readonly copy?: string | null;
  readonly link?: string | null;
  readonly topic?: string;
  readonly urgency?: 'normal' | 'high';
}

function flagValues(fields: FlagFields): ViewValues {
  return {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: fields.title ?? null } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: fields.copy ?? null } },
    [FIELD.link.block]: { [FIELD.link.input]: { type: 'url_text_input', value: fields.link ?? null } },
    [FIELD.topic.block]: { [FIELD.topic.input]: { type: 'static_select', selected_option: { value: fields.topic ?? 'default' } } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: fields.urgency ?? 'normal' } } },
  };
}

/** 10,000 characters of ASCII copy over many lines, with an ampersand on each line (escaping makes it longer). */
function longCopy(length: number): string {
  let copy = '';
  for (let line = 1; copy.length < length; line += 1) copy += `Line ${line}: dunk in the dark & keep the lights off.\n`;
  return `${copy.slice(0, length - 1)}Z`;
}

function dbRows<T>(sql: string): T[] {
  const db = new Database(h.databasePath, { readonly: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

function onlyCard(): StoredMessage {
  const cards = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  expect(cards).toHaveLength(1);
  const card = cards[0];
  if (!card) throw new Error('no card');
  return card;
}

/** The texts of the blocks that quote the copy (they start with Slack's quote marker). */
function copySections(blocks: readonly unknown[]): string[] {
  const sections: string[] = [];
  for (const block of blocks) {
    if (typeof block !== 'object' || block === null || !('text' in block)) continue;
    const text: unknown = block.text;
    if (typeof text === 'object' && text !== null && 'text' in text && typeof text.text === 'string' && text.text.startsWith('> ')) sections.push(text.text);
  }
  if (sections.length === 0) throw new Error('no quoted copy section');
  return sections;
}

test('a form with title, copy, link, topic and urgency flags the moment and confirms in the channel it came from', async () => {
  const answer = await h.submitView(
    PEOPLE.flagger,
    VIEW.flag,
    flagValues({ title: 'Game night', copy: 'Dunk it like it is overtime', link: 'https://example.com/trend?a=1&b=2', topic: 'sports', urgency: 'high' }),
    ORIGIN,
  );
  await h.settle();

  expect(answer).toEqual({ status: 200, text: '' });
  const moment = h.app.store.moments.get(1);
  expect(moment?.topic).toBe('sports');
  expect(moment?.content).toEqual({ title: 'Game night', copy: 'Dunk it like it is overtime', link: 'https://example.com/trend?a=1&b=2', urgency: 'high' });
  const blocks = JSON.stringify(onlyCard().blocks);
  expect(blocks).toContain('Urgent');
  expect(blocks).toContain('<https://example.com/trend?a=1&amp;b=2>');
  const confirmations = h.standIn.ephemerals(PEOPLE.flagger);
  expect(confirmations).toHaveLength(1);
  expect(confirmations[0]?.channel).toBe('C0GENERAL');
  expect(confirmations[0]?.text).toContain(`archives/${REVIEW_CHANNEL}/p${onlyCard().ts.replace('.', '')}`);
});

test('a form submitted with no topic chosen is routed by its words: a keyword sends it to its topic', async () => {
  const values = flagValues({ title: 'Outage statement', copy: 'We are sorry for the outage tonight' });
  values[FIELD.topic.block] = { [FIELD.topic.input]: { type: 'static_select', selected_option: null } };
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN);
  await h.settle();
  expect(answer).toEqual({ status: 200, text: '' });
  expect(h.app.store.moments.get(1)?.topic).toBe('crisis');
});

test.each([
  ['ending', 'Dunk it like it is overtime #sports', 'Dunk it like it is overtime', 'sports'],
  ['opening', '#sports Dunk it like it is overtime', 'Dunk it like it is overtime', 'sports'],
  ['inside a sentence', 'Cheer on #sports fans tonight', 'Cheer on #sports fans tonight', 'sports'],
  ['alone', '#sports', '#sports', 'sports'],
])('with no topic picked, a #topic tag %s the copy picks the topic; it is left out of the copy unless part of it', async (_where, typed, stored, topic) => {
  const values = flagValues({ title: 'Final whistle', copy: typed });
  values[FIELD.topic.block] = { [FIELD.topic.input]: { type: 'static_select', selected_option: null } };
  expect(await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN)).toEqual({ status: 200, text: '' });
  await h.settle();
  expect(h.app.store.moments.get(1)?.topic).toBe(topic);
  expect(h.app.store.moments.get(1)?.content.copy).toBe(stored);
});

test.each([
  ['ending the copy', 'Plant statement', 'We are looking into reports from the plant #crsis'],
  ['opening the copy', 'Plant statement', '#crsis We are looking into reports from the plant'],
  ['ending the title', 'Plant statement #crsis', 'We are looking into reports from the plant'],
])('with no topic picked, a mistyped topic tag %s is asked about next to the topic field, and nothing is flagged', async (_where, title, copy) => {
  const values = flagValues({ title, copy });
  values[FIELD.topic.block] = { [FIELD.topic.input]: { type: 'static_select', selected_option: null } };
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN);
  expect(JSON.parse(answer.text)).toEqual({
    response_action: 'errors',
    errors: { [FIELD.topic.block]: 'There is no topic named #crsis: did you mean #crisis? Pick the topic here, or correct the tag.' },
  });
  expect(h.countOpenMoments()).toBe(0);
  // picked in the menu, the same words are flagged as written
  values[FIELD.topic.block] = { [FIELD.topic.input]: { type: 'static_select', selected_option: { value: 'crisis' } } };
  expect(await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN)).toEqual({ status: 200, text: '' });
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'crisis', content: { title, copy } });
});

test('a #topic tag in the copy of a form whose topic was picked stays: the menu chose, the copy is as typed', async () => {
  await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Final whistle', copy: 'Dunk it like it is overtime #sports', topic: 'default' }), ORIGIN);
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'default', content: { copy: 'Dunk it like it is overtime #sports' } });
});

test('4,000 characters of copy (a quick flag\'s most) are kept whole in the database, and shown whole on the card and in the DMs, over several sections', async () => {
  const copy = longCopy(COPY_MAX);
  expect(copy).toHaveLength(4_000);

  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'The long read', copy }), ORIGIN);
  await h.settle();

  expect(answer).toEqual({ status: 200, text: '' });
  // Posted: the stand-in refuses blocks past Block Kit's limits with invalid_blocks.
  const posts = h.standIn.callsTo('chat.postMessage');
  expect(posts.length).toBeGreaterThan(0);
  expect(posts.map((p) => (p.response as { ok?: boolean }).ok)).not.toContain(false);
  const shown = copySections(onlyCard().blocks);
  expect(shown.length).toBeGreaterThan(1);
  for (const section of shown) expect(section.length).toBeLessThanOrEqual(LIMIT.sectionText);
  expect(shown.join('\n')).toContain('&amp; keep the lights off');
  expect(shown.at(-1)?.endsWith('Z')).toBe(true);
  const dm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0];
  expect(copySections(dm?.blocks ?? [])).toEqual(shown);

  expect(h.app.store.moments.get(1)?.content.copy).toBe(copy);
  expect(dbRows<{ copy: string; n: number }>('SELECT copy, length(copy) AS n FROM moments')).toEqual([{ copy, n: 4_000 }]);
});

test('copy over 4,000 characters is refused next to the copy field', async () => {
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Too long', copy: longCopy(COPY_MAX + 1) }), ORIGIN);
  await h.settle();

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { copy: expect.stringContaining('4000') } });
  expect(dbRows('SELECT id FROM moments')).toHaveLength(0);
});

test('an empty title and a link that is not http(s) are shown as errors on those fields and nothing is stored', async () => {
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: '   ', copy: 'Some copy', link: 'javascript:alert(1)' }), ORIGIN);
  await h.settle();

  expect(answer.status).toBe(200);
  const body: unknown = JSON.parse(answer.text);
  expect(body).toEqual({
    response_action: 'errors',
    errors: { title: expect.any(String), link: expect.stringContaining('http') },
  });
  expect(dbRows('SELECT id FROM moments')).toHaveLength(0);
  expect(dbRows('SELECT key FROM seen')).toHaveLength(0);
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
});

test('a title and copy of only invisible characters (zero-width spaces, Hangul fillers) are shown as errors on those fields', async () => {
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: '\u200b\u3164', copy: '\u3164\ufeff' }), ORIGIN);
  await h.settle();

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { title: expect.any(String), copy: expect.any(String) } });
  expect(dbRows('SELECT id FROM moments')).toHaveLength(0);
});

test('empty copy is shown as an error on the copy field', async () => {
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Only a title', copy: null }), ORIGIN);
  await h.settle();

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { copy: expect.any(String) } });
  expect(dbRows('SELECT id FROM moments')).toHaveLength(0);
});

test('a topic that does not exist is shown as an error on the topic field', async () => {
  const answer = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Hi', copy: 'Copy', topic: 'nope' }), ORIGIN);

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { topic: expect.stringContaining('nope') } });
  expect(dbRows('SELECT id FROM moments')).toHaveLength(0);
});

test('the same form submitted twice (a Slack retry) flags once', async () => {
  const values = flagValues({ title: 'Game night', copy: 'Dunk it' });
  await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN, 'V0SAMEFORM');
  const second = await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN, 'V0SAMEFORM');
  await h.settle();

  expect(second).toEqual({ status: 200, text: '' });
  expect(dbRows('SELECT id FROM moments')).toHaveLength(1);
  expect(onlyCard()).toBeDefined();
});

test('the same words sent again in a new form while the first is open are refused on the title, pointing to its card', async () => {
  // given a moment flagged from the form, its card posted
  const values = flagValues({ title: 'Game night', copy: 'Dunk it', link: 'https://example.com/ad' });
  await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN, 'V0FIRSTFORM');
  await h.settle();
  const card = onlyCard();
  const asked = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).length;
  // when the flagger fills a new form with the same words and topic
  const second = await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN, 'V0SECONDFORM');
  await h.settle();
  // then the form stays open with the reason and the card's link, and nobody is asked again
  const answer: unknown = JSON.parse(second.text);
  expect(answer).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: expect.stringContaining('You flagged this already: moment #1 is still under review') } });
  expect(second.text).toContain(`${card.channel}/p${card.ts.replace('.', '')}`);
  expect(dbRows('SELECT id FROM moments')).toHaveLength(1);
  expect(onlyCard()).toBeDefined();
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(asked);
});

test('the same words sent again as Urgent are refused with how to make the open moment urgent; sent again as they were, without', async () => {
  // given a moment flagged from the form as Normal
  const values = flagValues({ title: 'Game night', copy: 'Dunk it' });
  await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN, 'V0NORMAL');
  await h.settle();
  // when the flagger sends the same words again as Urgent, and once more as Normal
  const urgent = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Game night', copy: 'Dunk it', urgency: 'high' }), ORIGIN, 'V0URGENT');
  const same = await h.submitView(PEOPLE.flagger, VIEW.flag, values, ORIGIN, 'V0SAME');
  // then the first refusal says how (withdraw, flag again as Urgent), and the second does not
  expect(urgent.text).toContain("To make it urgent, withdraw it (Greenlight's Home tab) and flag it again as Urgent.");
  expect(same.text).toContain('You flagged this already');
  expect(same.text).not.toContain('To make it urgent');
});

test('a form refused as "already under review" and submitted again is refused again, not closed as if flagged', async () => {
  const opened = { channel: 'C0GENERAL', source: { channel: 'C0GENERAL', ts: '1700000000.000001' }, copyShown: wordsFingerprint('Dunk in the dark') };
  await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Dunk', copy: 'Dunk in the dark' }), await flagFormMetadata(h, PEOPLE.flagger, opened));
  await h.settle();
  expect(h.app.store.moments.get(1)).toBeDefined();

  // Someone else opened the shortcut on the same message before it was flagged: their form is refused...
  const viewId = 'V0SECONDFORM';
  const origin = await flagFormMetadata(h, PEOPLE.bea, opened);
  const first = await h.submitView(PEOPLE.bea, VIEW.flag, flagValues({ title: 'Dunk again', copy: 'Dunk in the dark' }), origin, viewId);
  expect(first.text).toContain('already under review');

  // ...and Submit pressed again on that same form answers the same way, rather than closing it as done.
  const second = await h.submitView(PEOPLE.bea, VIEW.flag, flagValues({ title: 'Dunk again', copy: 'Dunk in the dark' }), origin, viewId);
  expect(JSON.parse(second.text)).toMatchObject({ response_action: 'errors' });
  expect(second.text).toContain('already under review');
  expect(h.app.store.moments.get(2)).toBeUndefined();
});

test('a form opened where Greenlight is not (a DM between people) still confirms to the flagger, by DM', async () => {
  const elsewhere = 'D0PEOPLE';
  h.standIn.inject({ method: 'chat.postEphemeral', channel: elsewhere, fault: { kind: 'slack_error', error: 'channel_not_found' } });

  await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues({ title: 'Dunk', copy: 'Dunk in the dark' }), JSON.stringify({ channel: elsewhere }));
  await h.settle();

  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  const dms = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
  expect(dms.join('\n')).toContain('Flagged *Dunk* for review as *');
  expect(h.app.store.outbox.stats().failed).toBe(0);
});
