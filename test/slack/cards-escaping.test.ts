import Database from 'better-sqlite3';
import { ACTION, VIEW } from '../../src/slack/ids';
import { flagFormValues } from '../helpers/flag-shortcut';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { mrkdwnTexts } from './blocks/block-checks';
import type { ViewValues } from '../helpers/slack-requests';

/**
 * User text that looks like Slack markup (`<!channel>`, `<!here>`, `<@U…>`, `&`) pings and links nobody:
 * everything Slack parses as mrkdwn carries it escaped, and the database keeps what the person wrote.
 */


let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const RAW = ['<!channel>', '<!here>', '<@U0OUT>'] as const;
const TRICKY_COPY = 'Hey <!channel> and <!here>: <@U0OUT> says Salt & Pepper <b>now</b>';

const flagValues = (title: string, copy: string): ViewValues => flagFormValues(title, copy);


function everythingSent(): string[] {
  return [
    ...h.standIn.messages().flatMap(mrkdwnTexts),
    ...h.standIn.ephemerals().flatMap(mrkdwnTexts),
    ...h.standIn.responses().map((r) => String(r.body.text)),
  ];
}


function storedCopy(): { title: string; copy: string } | undefined {
  const db = new Database(h.databasePath, { readonly: true });
  try {
    return db.prepare<[], { title: string; copy: string }>('SELECT title, copy FROM moments WHERE id = 1').get();
  } finally {
    db.close();
  }
}

test('mentions and ampersands in the flagged copy reach the card escaped and the database as typed', async () => {
  await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues('Salt & Pepper launch', TRICKY_COPY), JSON.stringify({ channel: 'C0GENERAL' }));
  await h.settle();

  const card = h.onlyCard();
  const cardJson = JSON.stringify(card.blocks);
  expect(cardJson).toContain('&lt;!channel&gt;');
  expect(cardJson).toContain('&lt;!here&gt;');
  expect(cardJson).toContain('&lt;@U0OUT&gt; says Salt &amp; Pepper &lt;b&gt;now&lt;/b&gt;');
  for (const raw of RAW) {
    expect(cardJson).not.toContain(raw);
    expect(card.text).not.toContain(raw);
  }
  expect(card.text).toContain('Salt &amp; Pepper launch');

  expect(storedCopy()).toEqual({ title: 'Salt & Pepper launch', copy: TRICKY_COPY });
});

test('mentions in a flag title are never sent raw in any mrkdwn: card, DMs, confirmation, thread and outcome', async () => {
  const title = 'Ping <!channel> & <!here> for <@U0OUT>';
  await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues(title, TRICKY_COPY), JSON.stringify({ channel: 'C0GENERAL' }));
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.approve, '1:1');
  await h.settle();

  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  const sent = everythingSent();
  expect(sent.length).toBeGreaterThan(5);
  for (const text of sent) {
    for (const raw of RAW) expect(text).not.toContain(raw);
  }
  expect(sent.join('\n')).toContain('Ping &lt;!channel&gt; &amp; &lt;!here&gt;');
  expect(storedCopy()?.title).toBe(title);
});

test('a quick flag with mentions in the copy shows them as typed (never as mentions) and stores what the person typed', async () => {
  // Slack sends a typed @channel in a slash command as <!channel>, a typed "&" as &amp; and a typed "<" as &lt;.
  const response = await h.command(PEOPLE.flagger, 'Heads up: <!channel> &amp; <!here> Salt &amp; Pepper &lt;3 <@U0OUT>');
  expect(response.status).toBe(200);
  for (const raw of RAW) expect(response.text).not.toContain(raw);
  await h.settle();

  const card = h.onlyCard();
  const cardJson = JSON.stringify(card.blocks);
  expect(cardJson).toContain('@channel &amp; @here Salt &amp; Pepper &lt;3');
  for (const raw of RAW) {
    expect(cardJson).not.toContain(raw);
    expect(card.text).not.toContain(raw);
  }
  for (const text of everythingSent()) {
    for (const raw of RAW) expect(text).not.toContain(raw);
  }
  // Entities and mentions are turned back into what was typed: "@channel", "@here", a user as plain "@U0OUT".
  expect(storedCopy()).toEqual({ title: 'Heads up', copy: '@channel & @here Salt & Pepper <3 @U0OUT' });
});

test('a quick flag whose title holds mentions never sends them raw in mrkdwn (the plain_text header shows the title as typed)', async () => {
  await h.command(PEOPLE.flagger, '<!channel> <!here> big news for everyone today');
  await h.settle();

  for (const text of everythingSent()) {
    for (const raw of RAW) expect(text).not.toContain(raw);
  }
  expect(h.onlyCard().text).toContain('@channel @here big news');
});
