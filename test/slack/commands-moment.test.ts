import { COMMAND_FORM_NOT_OPENED } from '../../src/slack/commands/moment-command';
import { ACTION, VIEW } from '../../src/slack/ids';
import type { StoredMessage } from '../../src/sandbox/slack-stand-in';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/** /moment: quick flags and their topics, help, list, and the form. */


let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The top-level messages of a channel (thread replies left out). */
function cardsIn(channel: string): StoredMessage[] {
  return h.standIn.messages(channel).filter((m) => m.threadTs === undefined);
}

/** The permalink the stand-in gives a top-level message. */
function permalinkOf(message: StoredMessage): string {
  return `https://greenlight-sandbox.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
}

function ackText(response: { status: number; text: string }): string {
  expect(response.status).toBe(200);
  const body: unknown = JSON.parse(response.text);
  if (typeof body !== 'object' || body === null || !('text' in body) || typeof body.text !== 'string') {
    throw new Error(`the command was answered without text: ${response.text}`);
  }
  return body.text;
}

test('a #topic in the text picks that topic and is left out of the stored copy', async () => {
  const response = await h.command(PEOPLE.flagger, 'Final whistle: Dunk it like it is overtime #sports');
  expect(ackText(response)).toContain('*sports*');
  await h.settle();

  const moment = h.app.store.moments.get(1);
  expect(moment?.topic).toBe('sports');
  expect(moment?.content.title).toBe('Final whistle');
  expect(moment?.content.copy).toBe('Dunk it like it is overtime');
  expect(cardsIn(REVIEW_CHANNEL)).toHaveLength(1);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);
});

test('the same /moment sent twice points the second to the first moment: one card, each reviewer asked once', async () => {
  // given a quick flag whose card and DM went out
  await h.command(PEOPLE.flagger, 'Final whistle: Dunk it like it is overtime #sports');
  await h.settle();
  const card = cardsIn(REVIEW_CHANNEL)[0];
  if (!card) throw new Error('no card');
  // when the flagger sends the very same command again (a new trigger: sent twice, or again after a timeout)
  const second = ackText(await h.command(PEOPLE.flagger, 'Final whistle: Dunk it like it is overtime #sports'));
  await h.settle();
  // then they are told it is under review, with its card, and nothing new reaches anyone
  expect(second).toBe(
    `You flagged this already: moment #1 is still under review, and nobody was asked again. Change the words or the topic to flag something new. Its card: ${permalinkOf(card)}`,
  );
  expect(h.app.store.moments.get(2)).toBeUndefined();
  expect(cardsIn(REVIEW_CHANNEL)).toHaveLength(1);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);

  // and once the first is withdrawn, the same words flag a new moment
  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('withdrawn');
  await h.command(PEOPLE.flagger, 'Final whistle: Dunk it like it is overtime #sports');
  await h.settle();
  expect(h.app.store.moments.get(2)?.state.status).toBe('pending');
});

test('a crisis keyword sends the card to the crisis channel and DMs comms and legal, legal coming from the user group', async () => {
  await h.command(PEOPLE.flagger, 'Batch 42: we are issuing a recall of batch 42 today');
  await h.settle();

  const moment = h.app.store.moments.get(1);
  expect(moment?.topic).toBe('crisis');
  expect(cardsIn(CRISIS_CHANNEL)).toHaveLength(1);
  expect(cardsIn(REVIEW_CHANNEL)).toHaveLength(0);
  const card = JSON.stringify(cardsIn(CRISIS_CHANNEL)[0]?.blocks);
  expect(card).toContain(`<@${PEOPLE.cal}>`);
  expect(card).toContain(`<@${PEOPLE.leo}>`);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.cal))).toHaveLength(1);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo))).toHaveLength(1);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(0);
  const assigned = h.app.store.reviews.assignments(1).filter((a) => a.tier === 0);
  expect(assigned).toEqual(
    expect.arrayContaining([
      { tier: 0, role: 'comms', userId: PEOPLE.cal },
      { tier: 0, role: 'legal', userId: PEOPLE.leo },
    ]),
  );
});

test('a crisis flag is refused when one person is all of comms and legal: it could never get its two approvals', async () => {
  // given leo is the only member of comms and, through the user group, of legal (so only the flag can tell)
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace(`comms: { members: [${PEOPLE.cal}] }`, `comms: { members: [${PEOPLE.leo}] }`) });
  // when someone flags a crisis moment
  const text = ackText(await h.command(PEOPLE.flagger, 'Outage statement: we are on it #crisis'));
  await h.settle();
  // then the flagger is told why, and nothing is stored, posted or sent to leo
  expect(text).toContain('Topic "crisis" needs 2 approvals from different people for "comms", "legal", but only 1 person');
  expect(h.app.store.moments.get(1)).toBeUndefined();
  expect(cardsIn(CRISIS_CHANNEL)).toHaveLength(0);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo))).toHaveLength(0);
});

test('text without a topic or keyword goes to the default topic and its review channel', async () => {
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first, then the world');
  await h.settle();

  expect(h.app.store.moments.get(1)?.topic).toBe('default');
  expect(cardsIn(REVIEW_CHANNEL)).toHaveLength(1);
  expect(JSON.stringify(cardsIn(REVIEW_CHANNEL)[0]?.blocks)).toContain('Coffee first, then the world');
});

test('the flagger gets an ephemeral confirmation through the response_url with the card permalink', async () => {
  await h.command(PEOPLE.flagger, 'Batch 42: we are issuing a recall of batch 42 today');
  await h.settle();

  const card = cardsIn(CRISIS_CHANNEL)[0];
  if (!card) throw new Error('no card was posted');
  const confirmations = h.standIn.responses(`cmd-${PEOPLE.flagger}`);
  expect(confirmations).toHaveLength(1);
  expect(confirmations[0]?.body.response_type).toBe('ephemeral');
  expect(String(confirmations[0]?.body.text)).toContain(permalinkOf(card));
  // and names the topic it went to (by keyword here), so a mistyped #topic shows at once
  expect(String(confirmations[0]?.body.text)).toContain('for review as *crisis*');
  // The confirmation is private: nothing was posted to the channel the command came from.
  expect(h.standIn.messages('C0GENERAL')).toHaveLength(0);
});

test('a confirmation whose response_url has expired (held back past its 30 minutes) reaches the flagger by DM', async () => {
  h.standIn.expireResponseUrl(`cmd-${PEOPLE.flagger}`);
  await h.command(PEOPLE.flagger, 'Batch 42: we are issuing a recall of batch 42 today');
  await h.settle();

  const card = cardsIn(CRISIS_CHANNEL)[0];
  if (!card) throw new Error('no card was posted');
  expect(h.standIn.responses(`cmd-${PEOPLE.flagger}`)).toHaveLength(0);
  const dms = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
  expect(dms).toEqual([expect.stringContaining(permalinkOf(card))]);
});

test('/moment help answers the person privately with usage and the topics', async () => {
  const text = ackText(await h.command(PEOPLE.flagger, 'help'));
  expect(text).toContain('/moment');
  expect(text).toContain('`#crisis`');
  expect(text).toContain('`#sports`');
  expect(text).toContain(':zap:');
  // and where a flagger withdraws (their DMs have no Withdraw; the card may be in a channel they cannot open)
  expect(text).toContain("Greenlight's *Home* tab (under Apps) lists your moments and what waits for you: withdraw or decide from there.");
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
});

test('"--help" as a phone\'s smart punctuation sends it ("—help") answers with help and flags nothing', async () => {
  const text = ackText(await h.command(PEOPLE.flagger, '—help'));
  expect(text).toContain('`#sports`');
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
});

/** What `/moment <typed>` answered, once it is known nothing was flagged and nobody pinged. */
async function answeredWithoutFlag(typed: string): Promise<string> {
  const text = ackText(await h.command(PEOPLE.flagger, typed));
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  return text;
}

test.each(['list mine', 'stats 7d', 'Help me'])('"/moment %s" (a subcommand with words after it) pings nobody and says how to flag', async (typed) => {
  expect(await answeredWithoutFlag(typed)).toContain('takes nothing after it');
});

test.each([
  ['list?', 'Nothing reviewed in this channel'],
  ['Stats.', 'No moments flagged in the last 30 days'],
  ['`help`', '`#crisis`'],
  ['?', '`#crisis`'],
  ['--help', '`#crisis`'],
])('"/moment %s" (a subcommand as typed on a phone) answers it and flags nothing', async (typed, answer) => {
  expect(await answeredWithoutFlag(typed)).toContain(answer);
});

test.each([
  ['lsit', 'list'],
  ['stat', 'stats'],
  ['hlep', 'help'],
])('"/moment %s" (a slip) asks whether they meant /moment %s, and pings nobody', async (typed, meant) => {
  const text = await answeredWithoutFlag(typed);
  expect(text).toContain(`Did you mean \`/moment ${meant}\`?`);
  expect(text).toContain('Nothing was flagged');
});

test.each([
  ['withdraw', "press *Withdraw* on its card or in Greenlight's *Home* tab"],
  ['cancel #1', "press *Withdraw* on its card or in Greenlight's *Home* tab"],
  ['status', '`/moment list` shows your open moments'],
  ['test', 'Greenlight is here'],
])('"/moment %s" (a command Greenlight does not have) flags nothing, pings nobody, and says where to do it', async (typed, where) => {
  const text = await answeredWithoutFlag(typed);
  expect(text).toContain('Nothing was flagged');
  expect(text).toContain(where);
});

test('a flag that only opens with a subcommand\'s word is still a flag: with a title, or longer than a request', async () => {
  await h.command(PEOPLE.flagger, 'Stats: best quarter yet');
  await h.command(PEOPLE.flagger, 'List of winners is out tonight');
  // a one-word flag far from any subcommand is a flag too
  await h.command(PEOPLE.flagger, 'Blackout');
  await h.settle();
  expect(h.countOpenMoments()).toBe(3);
});

test('/moment list shows the open moment with a link to its card', async () => {
  expect(ackText(await h.command(PEOPLE.flagger, 'list'))).toContain('Nothing reviewed in this channel, flagged by you or with you among its reviewers is open');
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first, then the world');
  await h.settle();

  // bea, one of its reviewers, asks from #general
  const text = ackText(await h.command(PEOPLE.bea, 'list'));
  const card = cardsIn(REVIEW_CHANNEL)[0];
  if (!card) throw new Error('no card was posted');
  expect(text).toContain('(1)');
  expect(text).toContain('#1');
  expect(text).toContain(`<${permalinkOf(card)}|Monday mood>`);
  expect(text).toContain('default');
});

test('/moment list says a moment was escalated, to the lead it reached', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0');
  await h.settle();
  const line = ackText(await h.command(PEOPLE.lead, 'list')).split('\n').find((l) => l.includes('#1 '));
  expect(line).toContain('escalated, due');
});

test('/moment list with more open moments than it shows says how many are open in all', async () => {
  // given 25 open moments
  for (let i = 1; i <= 25; i += 1) await h.command(PEOPLE.flagger, `Post ${i}: copy ${i} #sports`);
  // when their reviewer lists them
  const text = ackText(await h.command(PEOPLE.ana, 'list'));
  // then the newest 20 are shown, and the header counts all 25
  expect(text.split('\n')[0]).toBe('*Open moments* (newest 20 of 25), reviewed in this channel, flagged by you or with you among its reviewers:');
  expect(text).toContain('#25');
  expect(text).not.toContain('#5 ');
  expect(text.split('\n')).toHaveLength(21);
});

test('/moment list does not show a crisis reviewed in a private channel to someone outside it', async () => {
  // given a recall under review in the crisis room, and a sports post in the review channel
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();

  // when someone who neither flagged nor reviews it lists from #general, then neither is shown, not even counted
  const outside = ackText(await h.command(PEOPLE.outsider, 'list'));
  expect(outside).toContain('Nothing reviewed in this channel');
  expect(outside).not.toContain('Recall');
  // from the review channel, only what is reviewed there
  const inReview = ackText(await h.command(PEOPLE.outsider, 'list', { channel: REVIEW_CHANNEL }));
  expect(inReview).toContain('(1)');
  expect(inReview).toContain('Oreo');
  expect(inReview).not.toContain('Recall');
  // a legal reviewer sees the recall from anywhere; so does the flagger, with both
  expect(ackText(await h.command(PEOPLE.leo, 'list'))).toContain('Recall notice');
  const flagger = ackText(await h.command(PEOPLE.flagger, 'list'));
  expect(flagger).toContain('(2)');
  expect(flagger).toContain('Recall notice');
});

test('/moment list shows a reviewer only what is theirs now: not before escalation reaches them, not after leaving the role', async () => {
  // given a recall whose tier 0 is comms and legal, and leads at tier 1
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  expect(h.app.store.reviews.assignments(1).some((a) => a.userId === PEOPLE.lead && a.tier === 1)).toBe(true);

  // then the lead, not asked yet, is not shown it from #general; leo, legal, is
  expect(ackText(await h.command(PEOPLE.lead, 'list'))).not.toContain('Recall');
  expect(ackText(await h.command(PEOPLE.leo, 'list'))).toContain('Recall notice');

  // and once leo leaves the legal user group, neither is he
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  expect(ackText(await h.command(PEOPLE.leo, 'list'))).not.toContain('Recall');
});

test('/moment alone opens the flag modal with the command trigger and remembers the channel', async () => {
  const triggerId = 'trigger.alone.1';
  const response = await h.command(PEOPLE.flagger, '', { triggerId });
  expect(response.status).toBe(200);
  expect(response.text).toBe('');
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the flag modal');
  await h.settle();

  const opened = h.standIn.openedViews();
  expect(opened).toHaveLength(1);
  expect(opened[0]?.triggerId).toBe(triggerId);
  expect(opened[0]?.view.callback_id).toBe(VIEW.flag);
  expect(JSON.parse(String(opened[0]?.view.private_metadata))).toMatchObject({ channel: 'C0GENERAL' });
  expect(h.countOpenMoments()).toBe(0);
});

test('/moment alone, when Slack does not open the form, tells the person so instead of leaving them waiting', async () => {
  h.standIn.inject({ method: 'views.open', times: 1, fault: { kind: 'slack_error', error: 'expired_trigger_id' } });
  const response = await h.command(PEOPLE.flagger, '', { triggerId: 'trigger.alone.expired' });
  expect(response.status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.responses(`cmd-${PEOPLE.flagger}`).length > 0, 3000, 'the answer to the flagger');
  expect(h.standIn.responses(`cmd-${PEOPLE.flagger}`).map((r) => r.body.text)).toEqual([COMMAND_FORM_NOT_OPENED]);
  expect(h.countOpenMoments()).toBe(0);
});

test('a replayed slash command flags once', async () => {
  const triggerId = 'trigger.replayed.1';
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first', { triggerId });
  const second = await h.command(PEOPLE.flagger, 'Monday mood: Coffee first', { triggerId });
  expect(second.status).toBe(200);
  await h.settle();

  expect(h.countOpenMoments()).toBe(1);
  expect(cardsIn(REVIEW_CHANNEL)).toHaveLength(1);
});

test('a quick flag longer than 4000 characters is sent to the message shortcut, which keeps it whole, instead of being flagged', async () => {
  const text = ackText(await h.command(PEOPLE.flagger, `Long: ${'word '.repeat(900)}`));
  await h.settle();

  // not to the form: its copy field holds less than a quick flag
  expect(text).toContain('*Flag moment* shortcut');
  expect(text).not.toContain('`/moment`');
  expect(h.countOpenMoments()).toBe(0);
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
});

test('/moment stats answers the person with the median time to a decision per topic and flags nothing', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  h.advance(90_000);
  await h.click(PEOPLE.ana, 'moment_approve', '1:1');
  await h.settle();
  const calls = h.standIn.callsTo('chat.postMessage').length;

  const response = await h.command(PEOPLE.flagger, 'stats');
  await h.settle();

  expect(response.status).toBe(200);
  const text = String(JSON.parse(response.text).text);
  expect(text).toContain('1 flagged, 1 approved');
  expect(text).toContain('sports: 1m 30s (1 of 1 decided)');
  expect(h.app.store.moments.get(2)).toBeUndefined();
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(calls);
});

test('/moment stats with nothing flagged says so', async () => {
  const response = await h.command(PEOPLE.flagger, 'stats');
  await h.settle();

  expect(response.status).toBe(200);
  expect(String(JSON.parse(response.text).text)).toContain('No moments flagged');
  expect(h.app.store.moments.get(1)).toBeUndefined();
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
});

test('/moment with a mistyped topic tag flags nothing and names the topic meant', async () => {
  const answer = await h.command(PEOPLE.flagger, 'Final whistle: Dunk it #sprots');
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(answer.text).toContain('There is no topic named `#sprots`: did you mean `#sports`? Nothing was flagged');
  expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  // and sent again as the answer says, with the topic's tag first, the hashtag stays in the copy
  await h.command(PEOPLE.flagger, '#sports Final whistle: Dunk it #sprots');
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'sports', content: { copy: 'Dunk it #sprots' } });
});

test('/moment refused for a mistyped #topic gives the words back, corrected, to send again: Slack has cleared what was typed', async () => {
  // given a long copy with a link and a character mrkdwn would read, and the topic's tag mistyped (as Slack sends them)
  const typed = 'Lights out: the stadium went dark at half time, watch <https://example.com/live> &amp; dunk in the dark';
  const answer = JSON.parse((await h.command(PEOPLE.flagger, `${typed} #sprots`)).text) as { text: string };
  await h.settle();
  // then nothing is flagged, and the answer holds the command meant, as typed and escaped, in a block to copy
  expect(h.countOpenMoments()).toBe(0);
  expect(answer.text).toContain(
    'To flag it for *sports*, send:\n```/moment Lights out: the stadium went dark at half time, watch https://example.com/live &amp; dunk in the dark #sports```',
  );
  // and sent again as given back, it flags for sports
  await h.command(PEOPLE.flagger, `${typed} #sports`);
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'sports', content: { title: 'Lights out' } });
});

test('/moment refused for a mistyped #topic leaves the words out when they would end the block they are given back in', async () => {
  const answer = JSON.parse((await h.command(PEOPLE.flagger, 'Code drop: ```npm i``` tonight #sprots')).text) as { text: string };
  expect(answer.text).toContain('did you mean `#sports`?');
  expect(answer.text).not.toContain('To flag it for');
});

test('/moment refused (nobody left in a role the topic needs) gives the words back to send again: Slack has cleared them', async () => {
  // given nobody left in legal, which a crisis needs
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  // when someone flags a crisis
  const answer = JSON.parse((await h.command(PEOPLE.flagger, 'Outage: we are <b>back</b> & running')).text) as { text: string };
  await h.settle();
  // then it is refused, and the command comes back, escaped, in a block to copy once the role is filled
  expect(h.countOpenMoments()).toBe(0);
  expect(answer.text).toContain('legal');
  expect(answer.text).toMatch(/\nYour words, to send again:\n```\/moment Outage: we are &lt;b&gt;back&lt;\/b&gt; &amp; running```$/);
});

describe('the words given back after a refusal are only ever a command that flags', () => {
  const textOf = (r: { text: string }) => (JSON.parse(r.text) as { text: string }).text;

  test.each(['#sprots', 'Oreo: #sprots'])('"%s" (no copy once the tag is corrected) gets the hint, not a command that would be refused', async (typed) => {
    const answer = textOf(await h.command(PEOPLE.flagger, typed));
    expect(answer).toContain('did you mean `#sports`?');
    expect(answer).not.toContain('To flag it for');
  });

  test.each(['#sports', 'Oreo:', 'Oreo: #sports'])('"%s", refused for its words, is not offered "to send again" as it was', async (typed) => {
    const answer = textOf(await h.command(PEOPLE.flagger, typed));
    expect(answer).toMatch(/^Nothing to/);
    expect(answer).not.toContain('Your words, to send again');
  });

  test('a 4,000-character quick flag with a tag a letter short, corrected past the limit, gets the hint alone', async () => {
    const typed = `Big match: ${'x'.repeat(4000 - 'Big match: '.length - ' #sprts'.length)} #sprts`;
    const answer = textOf(await h.command(PEOPLE.flagger, typed));
    expect(answer).toContain('did you mean `#sports`?');
    expect(answer).not.toContain('To flag it for');
  });
});

test('/moment with only a topic tag flags nothing and says what to write', async () => {
  const answer = await h.command(PEOPLE.flagger, '#sports');
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(answer.text).toContain('Nothing to flag');
});

test('/moment with a title and a topic tag but no copy flags nothing and asks for the copy', async () => {
  const answer = await h.command(PEOPLE.flagger, 'Oreo: #sports');
  await h.settle();
  expect(h.countOpenMoments()).toBe(0);
  expect(answer.text).toContain('Nothing to post after the title: write the copy after the colon');
});

test.each([
  ['a bold link, as Slack sends it', 'New ad is live: *<https://example.com/ad>*'],
  ['a bold link, as typed', 'New ad is live: *https://example.com/ad*'],
  ['a link ending a Japanese sentence', '新しい広告: https://example.com/ad。'],
])('/moment with %s stores the link itself, and the card links it', async (_how, text) => {
  expect((await h.command(PEOPLE.flagger, text)).status).toBe(200);
  await h.settle();
  expect(h.app.store.moments.get(1)?.content.link).toBe('https://example.com/ad');
  const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
  expect(JSON.stringify(card?.blocks)).toContain('Source: <https://example.com/ad>');
});
