import type { types } from '@slack/bolt';
import { isFinal, type MomentView } from '../../../src/core/moment';
import { cardChangesWithRoster, reviewDmsChangingWithRoster } from '../../../src/core/policy';
import { rolesIn, type Roster } from '../../../src/core/routing';
import { checkBlocks, MESSAGE_BLOCK_LIMIT } from '../../../src/sandbox/stand-in-blocks';
import { APPROVED_TEXT_MAX, buildCard, buildFlaggerNote, buildReplacedDm, buildReviewDm } from '../../../src/slack/blocks/card';
import { ACTION } from '../../../src/slack/ids';
import { act, actor, approve, CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from '../../core/fixtures';
import { limitViolations, mrkdwnTexts } from './block-checks';
import { blockText } from '../../../src/slack/blocks/mrkdwn';
import { MESSAGE_BLOCKS_TEXT_MAX } from '../../../src/slack/blocks/moment-parts';

const NOW = T0 + MINUTE;
const DUE_TOKEN = `<!date^${(T0 + 30 * MINUTE) / 1000}^{date_short_pretty} at {time}|2024-05-01T09:30:00Z>`;

function actionsOf(blocks: readonly types.KnownBlock[]): types.ActionsBlock | undefined {
  return blocks.find((b): b is types.ActionsBlock => b.type === 'actions');
}

function buttonIds(view: MomentView): string[] {
  return (actionsOf(buildCard(view).blocks)?.elements ?? []).map((e) => ('action_id' in e ? String(e.action_id) : e.type));
}

describe('buildCard', () => {
  describe("the card's first post, which notifies whoever it mentions", () => {
    const mentions = (card: { blocks: unknown[] }) => JSON.stringify(card.blocks).match(/<@[A-Z0-9]+>/g) ?? [];

    test('names nobody and says how many each role asked, where the update after it names them', () => {
      const view = flagged();
      expect(mentions(buildCard(view, undefined, { firstPost: true }))).toEqual([]);
      expect(JSON.stringify(buildCard(view, undefined, { firstPost: true }).blocks)).toContain('*brand* 0/1: _2 asked by DM_');
      expect(mentions(buildCard(view))).toEqual([`<@${PEOPLE.flagger}>`, `<@${PEOPLE.ana}>`, `<@${PEOPLE.bea}>`]);
    });

    test('posted late, after a decision (its channel was paced), names nobody who decided either', () => {
      const rejected = act(flagged(), { kind: 'reject', actor: actor(PEOPLE.bea), reason: 'off brand' }, T0 + MINUTE);
      const approved = approve(flagged(), PEOPLE.ana, T0 + MINUTE);
      const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'shorter' }, T0 + MINUTE);
      const withdrawn = act(flagged(), { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, T0 + MINUTE);
      for (const view of [rejected, approved, asked, withdrawn]) {
        expect(mentions(buildCard(view, undefined, { firstPost: true }))).toEqual([]);
        expect(mentions(buildCard(view)).length).toBeGreaterThan(0);
      }
    });
  });

  test('a pending card shows title, quoted copy, facts, who must approve, the deadline token and the buttons', () => {
    // given a fresh moment needing one brand approval
    const card = buildCard(flagged());
    // then each block says what it should
    expect(card.text).toBe('Moment #1 (⏳ pending): Oreo: dunk in the dark');
    expect(card.blocks.slice(0, 5)).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '⚡ Oreo: dunk in the dark', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: '> Power out? You can still dunk in the dark.' } },
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `Flagged by <@${PEOPLE.flagger}>  ·  Topic *default*  ·  #1  ·  Source: <https://example.com/trend>` }] },
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: `*Needs*\n⏳ *brand* 0/1: <@${PEOPLE.ana}> ⏳  <@${PEOPLE.bea}> ⏳` } },
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `⏰ Decide by ${DUE_TOKEN}` }] },
    ]);
    const actions = actionsOf(card.blocks);
    expect(actions?.block_id).toBe('decide:1');
    expect(actions?.elements.map((e) => (e.type === 'button' ? [e.action_id, e.text.text, e.value] : []))).toEqual([
      [ACTION.approve, 'Approve', '1:1:0'],
      [ACTION.requestChanges, 'Request changes…', '1:1:0'],
      [ACTION.reject, 'Reject…', '1:1:0'],
      [ACTION.escalate, 'Escalate', '1:1:0'],
      [ACTION.withdraw, 'Withdraw', '1:1:0'],
    ]);
    expect(limitViolations(card)).toEqual([]);
  });

  test('a moment flagged from a message says where, and links back to the message only when its link is a web link', () => {
    const factsOf = (source: MomentView['moment']['source']) => {
      const context = buildCard(flagged(topic(), { source })).blocks.find((b) => b.type === 'context');
      return JSON.stringify(context);
    };
    expect(factsOf({ channel: 'C0GENERAL', ts: '1.1', permalink: 'https://acme.slack.com/archives/C0GENERAL/p11' })).toContain(
      'From <#C0GENERAL> (<https://acme.slack.com/archives/C0GENERAL/p11|the message>)',
    );
    expect(factsOf({ channel: 'C0GENERAL', ts: '1.1' })).toContain('From <#C0GENERAL>"');
    // a DM or group DM has no channel name to show; a link that is not a web link is not made one
    expect(factsOf({ channel: 'D0DM', ts: '1.1', permalink: 'javascript:alert(1)' })).toContain('From a direct message"');
    expect(factsOf({ channel: '<!channel>', ts: '1.1' })).not.toContain('<!channel>');
  });

  test('a moment whose link is the flagged message itself (as the shortcut once filled it in) links the message once', () => {
    const permalink = 'https://acme.slack.com/archives/C0GENERAL/p11';
    const view = flagged(topic(), { content: { ...CONTENT, link: permalink }, source: { channel: 'C0GENERAL', ts: '1.1', permalink } });
    const facts = JSON.stringify(buildCard(view).blocks.find((b) => b.type === 'context'));
    expect(facts).not.toContain('Source:');
    expect(facts.split(permalink).length - 1).toBe(1);
  });

  test('an approval so far is ticked against the person and the role count', () => {
    const view = approve(flagged(CRISIS), PEOPLE.cal, NOW);
    const needs = mrkdwnTexts(buildCard(view)).find((t) => t.startsWith('*Needs*'));
    expect(needs).toBe(`*Needs*\n✅ *comms* 1/1: <@${PEOPLE.cal}> ✅\n⏳ *legal* 0/1: <@${PEOPLE.leo}> ⏳`);
  });

  test('a final card has no actions block, only its status line', () => {
    // given an approved and a rejected moment
    const approved = approve(flagged(), PEOPLE.ana, NOW);
    const rejected = act(flagged(), { kind: 'reject', actor: actor(PEOPLE.bea), reason: 'Off <brand>' }, NOW);
    // then neither card can be pressed, and each says what happened and when
    const nowToken = `<!date^${NOW / 1000}^{date_short_pretty} at {time}|2024-05-01T09:01:00Z>`;
    expect(actionsOf(buildCard(approved).blocks)).toBeUndefined();
    expect(actionsOf(buildCard(rejected).blocks)).toBeUndefined();
    expect(buildCard(approved).blocks.at(-1)).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: `✅ *Approved* (last approval by <@${PEOPLE.ana}>) ${nowToken}` } });
    expect(buildCard(rejected).blocks.at(-1)).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: `❌ *Rejected* by <@${PEOPLE.bea}> ${nowToken}\n> Off &lt;brand&gt;` } });
    expect(buildCard(rejected).text).toBe('Moment #1 (❌ rejected): Oreo: dunk in the dark');
  });

  test('while changes are requested the card shows who asked and why, and offers only Revise… and Withdraw (the flagger\'s); the DMs nothing', () => {
    const view = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Say "power cut"' }, NOW);
    const card = buildCard(view);
    expect(buttonIds(view)).toEqual([ACTION.revise, ACTION.withdraw]);
    expect(actionsOf(buildReviewDm(view, PEOPLE.bea, 'review', undefined).blocks)).toBeUndefined();
    expect(mrkdwnTexts(card).at(-1)).toBe(
      `✏️ *Changes requested* by <@${PEOPLE.ana}>, new revision due by <!date^${(NOW + 30 * MINUTE) / 1000}^{date_short_pretty} at {time}|2024-05-01T09:31:00Z>\n> Say "power cut"`,
    );
  });

  test('an escalated card names the tier and offers Escalate only while a higher tier exists', () => {
    const once = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    const twice = act(once, { kind: 'escalate', actor: actor(PEOPLE.lead) }, NOW + 1);
    expect(mrkdwnTexts(buildCard(once))).toContain(`*Escalated* to *leads*: any one of them decides\n⏳ *leads* 0/1: <@${PEOPLE.lead}> ⏳`);
    expect(buttonIds(once)).toEqual([ACTION.approve, ACTION.requestChanges, ACTION.reject, ACTION.escalate, ACTION.withdraw]);
    expect(buttonIds(twice)).toEqual([ACTION.approve, ACTION.requestChanges, ACTION.reject, ACTION.withdraw]);
  });

  test('no Escalate button when no later tier has anyone who can decide (nobody in it, or only the flagger)', () => {
    // given a moment whose leads resolved to nobody, and one flagged by the only lead
    const empty = flagged(topic(), { members: { ...MEMBERS, leads: [] } });
    const ownLead = flagged(topic(), { flaggerId: PEOPLE.lead });
    // then neither card nor DM offers Escalate (a press would only be refused)
    expect(buttonIds(empty)).toEqual([ACTION.approve, ACTION.requestChanges, ACTION.reject, ACTION.withdraw]);
    expect(buttonIds(ownLead)).toEqual([ACTION.approve, ACTION.requestChanges, ACTION.reject, ACTION.withdraw]);
    const dm = buildReviewDm(empty, PEOPLE.ana, 'review', undefined);
    expect(actionsOf(dm.blocks)?.elements.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual([ACTION.approve, ACTION.requestChanges, ACTION.reject]);
  });

  test('the Escalate confirmation names the tier it goes to, past a tier nobody can decide in', () => {
    const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [] } });
    const escalate = actionsOf(buildCard(view).blocks)?.elements.find((e) => 'action_id' in e && e.action_id === ACTION.escalate);
    expect(escalate && 'confirm' in escalate ? escalate.confirm?.text.text : undefined).toBe('Everyone in execs is pinged; any one of them decides alone.');
  });

  test('an urgent second revision says so in the facts, and a non-http link is left out', () => {
    const base = flagged(topic(), { content: { ...CONTENT, urgency: 'high', link: 'javascript:alert(1)' } });
    const view = { ...base, moment: { ...base.moment, revision: 2 } };
    const facts = buildCard(view).blocks[2];
    expect(facts).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `Flagged by <@${PEOPLE.flagger}>  ·  Topic *default*  ·  #1  ·  🔥 *Urgent*  ·  Revision 2` }] });
  });

  test('a 21,000-character copy fills the sections a message holds, broken at spaces, then is cut with an ellipsis and says so; a long title fits the header', () => {
    const view = flagged(topic(), { content: { ...CONTENT, title: 'T'.repeat(400), copy: 'word & '.repeat(3000) } });
    const card = buildCard(view);
    const copy = mrkdwnTexts(card).filter((text) => text.startsWith('> '));
    expect(copy.length).toBeGreaterThanOrEqual(3);
    for (const section of copy) {
      expect(section.length).toBeLessThanOrEqual(3000);
      expect(section).toMatch(/^> (word|&amp;) /);
    }
    // (each section but the last ends at a space, never inside an entity)
    for (const section of copy.slice(0, -1)) expect(section).toMatch(/(word|&amp;) $/);
    expect(copy.at(-1)?.endsWith('…')).toBe(true);
    // as much of the copy as the message's text leaves room for: all of it but the rest of the card
    expect(copy.join('').length).toBeGreaterThan(MESSAGE_BLOCKS_TEXT_MAX - 1000);
    expect(blockText(card.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_MAX);
    expect(JSON.stringify(card.blocks)).toContain('Cut here to fit a message');
    expect(card.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `⚡ ${'T'.repeat(147)}…`, emoji: true } });
    expect(limitViolations(card)).toEqual([]);
  });

  test('a long copy beside a long reason takes what the reason leaves: the card and each DM stay within a message\'s text', () => {
    // given a 13,000-character copy flagged from a message, pending, then rejected with a reason of 3,000 characters
    const long = flagged(topic(), { content: { ...CONTENT, copy: 'Our spring range is in every store from Monday & online.\n'.repeat(230) }, source: { channel: 'C0HERE', ts: '1714554000.000100' } });
    const rejected = act(long, { kind: 'reject', actor: actor(PEOPLE.ana), reason: 'Lines 10-40 need legal sign-off & the dates are wrong. '.repeat(60).slice(0, 3000) }, NOW);
    for (const view of [long, rejected]) {
      for (const message of [buildCard(view), buildReviewDm(view, PEOPLE.ana, 'review', 'https://slack.example/p1')]) {
        expect(blockText(message.blocks)).toBeLessThanOrEqual(MESSAGE_BLOCKS_TEXT_MAX);
        expect(limitViolations(message)).toEqual([]);
        // under review, the flagged message holds the rest; once decided, it may have been edited since, and is not named
        expect(JSON.stringify(message.blocks).match(/✂️ _Cut here[^_]*_/)?.[0]).toBe(
          view === long ? '✂️ _Cut here to fit a message: the whole copy is in the flagged message._' : '✂️ _Cut here to fit a message._',
        );
      }
    }
  });

  test('a copy longer than one section is shown whole over the sections it needs, line breaks kept, nothing cut', () => {
    // given 5,000 characters of lines, as the flag form takes up to 10,000
    const copy = Array.from({ length: 100 }, (_, i) => `Line ${i}: dunk in the dark, keep the lights off.`).join('\n');
    const card = buildCard(flagged(topic(), { content: { ...CONTENT, copy } }));
    // then two quoted sections hold every line, the first ending at a line end, and no cut is said
    const sections = mrkdwnTexts(card).filter((text) => text.startsWith('> Line'));
    expect(sections).toHaveLength(2);
    expect(sections.join('\n')).toBe(copy.split('\n').map((line) => `> ${line}`).join('\n'));
    expect(JSON.stringify(card.blocks)).not.toContain('Cut here');
    expect(limitViolations(card)).toEqual([]);
  });

  test('a copy of many short lines still fits the section once each line is quoted', () => {
    const view = flagged(topic(), { content: { ...CONTENT, copy: 'ok\n'.repeat(2000) } });
    const section = mrkdwnTexts(buildCard(view))[1] ?? '';
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section.startsWith('> ok\n> ok\n')).toBe(true);
  });

  test('a copy of many one-letter lines fills most of the section instead of a few characters', () => {
    const view = flagged(topic(), { content: { ...CONTENT, copy: 'a\n'.repeat(1500) } });
    const section = mrkdwnTexts(buildCard(view))[1] ?? '';
    expect(section.length).toBeGreaterThan(2500);
  });

  test('a role of 400 reviewers cuts its own list and leaves every other role on the card', () => {
    // given three roles, the second one a user group of 400 people needing two approvals, one of whom (the last) has approved
    const crowd = Array.from({ length: 400 }, (_, i) => `U${String(i).padStart(8, '0')}`);
    const view = flagged(topic({ require: { brand: 1, legal: 2, comms: 1 } }), { members: { brand: [PEOPLE.ana], legal: crowd, comms: [PEOPLE.cal] } });
    const last = crowd.at(-1) ?? '';
    // when the card is built
    const needs = mrkdwnTexts(buildCard(approve(view, last, NOW))).find((t) => t.startsWith('*Needs*')) ?? '';
    // then every role is there with its count, legal's list starts with its approver and counts those left out
    const [, brand, legal, comms] = needs.split('\n');
    expect(brand).toBe(`⏳ *brand* 0/1: <@${PEOPLE.ana}> ⏳`);
    expect(legal).toMatch(new RegExp(`^⏳ \\*legal\\* 1/2: <@${last}> ✅  <@U00000000> ⏳ .* \\+\\d+ more$`));
    expect(comms).toBe(`⏳ *comms* 0/1: <@${PEOPLE.cal}> ⏳`);
    expect(needs.length).toBeLessThanOrEqual(3000);
  });

  test('more roles than fit the section are summarised as "… and N more"', () => {
    // given 80 roles with long names
    const roles = Array.from({ length: 80 }, (_, i) => `role ${i} ${'x'.repeat(50)}`);
    const view = flagged(topic({ require: Object.fromEntries(roles.map((r) => [r, 1])) }), { members: Object.fromEntries(roles.map((r, i) => [r, [`U0R${i}`]])) });
    // then the first roles are listed whole and the rest counted, within the limit
    const needs = mrkdwnTexts(buildCard(view)).find((t) => t.startsWith('*Needs*')) ?? '';
    expect(needs.split('\n')[1]).toBe(`⏳ *${roles[0]}* 0/1: <@U0R0> ⏳`);
    expect(needs).toMatch(/\n… and \d+ more$/);
    expect(needs.length).toBeLessThanOrEqual(3000);
  });

  test('a card with every part at its longest passes the Slack stand-in\'s Block Kit checks', () => {
    const view = flagged(CRISIS, { content: { title: 'T'.repeat(400), copy: '<&>\n'.repeat(5000), link: `https://example.com/${'a'.repeat(900)}`, urgency: 'high' } });
    expect(checkBlocks(buildCard(view).blocks, MESSAGE_BLOCK_LIMIT)).toEqual([]);
  });

  test('a title of 200 emoji gives a header the Slack stand-in accepts', () => {
    const view = flagged(topic(), { content: { ...CONTENT, title: '🎉'.repeat(200) } });
    expect(checkBlocks(buildCard(view).blocks, MESSAGE_BLOCK_LIMIT)).toEqual([]);
  });

  test('title and copy that look like Slack markup are shown as text, never as mentions or links', () => {
    const view = flagged(topic(), { content: { ...CONTENT, title: '<!channel> & <@U123>', copy: 'Go <https://evil|click> <!here>' } });
    const card = buildCard(view);
    expect(card.text).toBe('Moment #1 (⏳ pending): &lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(mrkdwnTexts(card)[1]).toBe('> Go &lt;https://evil|click&gt; &lt;!here&gt;');
    // a header is plain text: Slack never parses it for mentions
    expect(card.blocks[0]).toMatchObject({ text: { type: 'plain_text', text: '⚡ <!channel> & <@U123>' } });
  });
});

describe('buildReviewDm', () => {
  test('an approval given in two roles is named by the seat the card gives it, even after its person left that role', () => {
    // given cal, asked in comms and legal, approved while holding both: the card seats him in comms
    const view = flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.cal, PEOPLE.leo] } });
    const approved = act(view, { kind: 'approve', actor: actor(PEOPLE.cal, ['comms', 'legal']) }, NOW);
    expect(JSON.stringify(buildCard(approved).blocks)).toContain(`*comms* 1/1: <@${PEOPLE.cal}> ✅`);
    // when his DM is rendered after he left comms
    const dm = buildReviewDm(approved, PEOPLE.cal, 'review', undefined, undefined, new Set(['legal']));
    // then it names the seat his approval fills, as the card does
    expect(dm.blocks[0]).toMatchObject({ text: { text: '✅ You approved this as *comms*. It still waits on other reviewers.' } });
  });

  test('a review DM names the flagger and the reviewer\'s roles, links the card, and has no Withdraw button', () => {
    const dm = buildReviewDm(flagged(), PEOPLE.ana, 'review', 'https://slack.example/p1');
    expect(dm.text).toBe('Review needed as brand: Oreo: dunk in the dark');
    expect(dm.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: `<@${PEOPLE.flagger}> needs your decision as *brand*. <https://slack.example/p1|Open the card>` } });
    expect(actionsOf(dm.blocks)?.elements.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual([ACTION.approve, ACTION.requestChanges, ACTION.reject, ACTION.escalate]);
    expect(limitViolations(dm)).toEqual([]);
  });

  test.each([
    ['escalated', 'This moment was escalated to you as *brand*: your decision alone settles it.'],
    ['revised', `<@${PEOPLE.flagger}> posted revision 1, which needs your decision as *brand*.`],
    ['remind', '⏰ Reminder: this moment still needs your decision as *brand*.'],
  ] as const)('a %s DM opens with its own sentence', (why, sentence) => {
    expect(buildReviewDm(flagged(), PEOPLE.ana, why, undefined).blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: sentence } });
  });

  test('a revision tells a reviewer who approved the old copy that their approval no longer counts, and only them', () => {
    const crisis = approve(flagged(CRISIS), PEOPLE.cal, NOW);
    const asked = act(crisis, { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'Softer' }, NOW + 1);
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 2);
    expect(buildReviewDm(revised, PEOPLE.cal, 'revised', undefined).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> posted revision 2: your earlier approval no longer counts.` } });
    expect(buildReviewDm(revised, PEOPLE.leo, 'revised', undefined).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> posted revision 2, which needs your decision as *legal*.` } });
    // and an approval at a tier the moment has since left never counted there: cal, comms at tier 0 and a lead, is
    // asked as a lead, not told that an approval no longer counts
    const atLeads = flagged(CRISIS, { members: { ...MEMBERS, leads: [PEOPLE.lead, PEOPLE.cal] } });
    const escalatedAfterApproval = act(approve(atLeads, PEOPLE.cal, NOW), { kind: 'escalate', actor: actor(PEOPLE.leo) }, NOW + 1);
    const revisedAtLeads = act(
      act(escalatedAfterApproval, { kind: 'request_changes', actor: actor(PEOPLE.lead), comment: 'Shorter' }, NOW + 2),
      { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT },
      NOW + 3,
    );
    expect(buildReviewDm(revisedAtLeads, PEOPLE.cal, 'revised', undefined).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> posted revision 2, which needs your decision as *leads*.` } });
    // and at the next revision cal, who did not approve revision 2, is not told it again
    const again = act(act(revised, { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'Softer still' }, NOW + 3), { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 4);
    expect(buildReviewDm(again, PEOPLE.cal, 'revised', undefined).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> posted revision 3, which needs your decision as *comms*.` } });
  });

  test('an approver\'s DM says their approval is in while others decide, and offers no second Approve', () => {
    const dm = buildReviewDm(approve(flagged(CRISIS), PEOPLE.cal, NOW), PEOPLE.cal, 'review', undefined);
    expect(dm.blocks[0]).toMatchObject({ text: { text: '✅ You approved this as *comms*. It still waits on other reviewers.' } });
    expect(actionsOf(dm.blocks)?.elements.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual([ACTION.requestChanges, ACTION.reject, ACTION.escalate]);
    // the other reviewer's DM is as it was
    expect(JSON.stringify(buildReviewDm(approve(flagged(CRISIS), PEOPLE.cal, NOW), PEOPLE.leo, 'review', undefined).blocks)).toContain(ACTION.approve);
  });

  test('a reviewer whose role another approved for is told their approval is not needed, and keeps only Reject and Request changes', () => {
    // given comms is cal and bea, and cal approves a crisis moment (comms 1, legal 1)
    const view = approve(flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea] } }), PEOPLE.cal, NOW);
    const dm = buildReviewDm(view, PEOPLE.bea, 'review', undefined);
    expect(dm.blocks[0]).toMatchObject({
      text: { text: `✅ *comms* has the approvals it needs (<@${PEOPLE.cal}>), so yours is not needed. You can still ask for changes or reject it.` },
    });
    expect(dm.text).toBe('Oreo: dunk in the dark: your approval is not needed');
    expect(actionsOf(dm.blocks)?.elements.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual([ACTION.requestChanges, ACTION.reject, ACTION.escalate]);
    // while legal's reviewer is still asked
    expect(buildReviewDm(view, PEOPLE.leo, 'review', undefined).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> needs your decision as *legal*.` } });
  });

  test('a reviewer in two roles who approved is told the one role their approval counts for, and the other stays open', () => {
    // given cal is in comms and legal (with leo), and approves: it fills comms (legal has leo)
    const view = approve(flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } }), PEOPLE.cal, NOW);
    expect(buildReviewDm(view, PEOPLE.cal, 'review', undefined).blocks[0]).toMatchObject({ text: { text: '✅ You approved this as *comms*. It still waits on other reviewers.' } });
    expect(JSON.stringify(buildReviewDm(view, PEOPLE.leo, 'review', undefined).blocks)).toContain(ACTION.approve);
  });

  test('a reviewer of a tier the moment has left is told where it went, with nothing to press', () => {
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    const dm = buildReviewDm(escalated, PEOPLE.leo, 'review', undefined);
    expect(dm.blocks[0]).toMatchObject({ text: { text: 'This moment was escalated to *leads*: they decide now, and nothing more is needed from you.' } });
    expect(actionsOf(dm.blocks)).toBeUndefined();
    // while the lead, asked at tier 1, decides from theirs
    expect(JSON.stringify(buildReviewDm(escalated, PEOPLE.lead, 'escalated', undefined).blocks)).toContain(ACTION.approve);
  });

  test('while changes are requested a DM offers nothing to press, and its notification does not ask for a review', () => {
    // given leo asked for changes; cal's DM is posted (a late first one) or re-rendered now
    const asked = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'Softer' }, NOW);
    const dm = buildReviewDm(asked, PEOPLE.cal, 'review', undefined);
    // then it says the flagger revises, with no buttons, and the phone's notification says the same
    expect(dm.blocks[0]).toMatchObject({ text: { text: `Changes were requested: <@${PEOPLE.flagger}> is revising it, and you will be asked again.` } });
    expect(actionsOf(dm.blocks)).toBeUndefined();
    expect(dm.text).toBe('Oreo: dunk in the dark: changes requested, you will be asked again');
  });

  test('a DM with nothing to press while the moment is pending does not tell its reader to "Decide by"', () => {
    // given the crisis moment escalated past leo, and a lead taken out of the leads since
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    const leftBehind = buildReviewDm(escalated, PEOPLE.leo, 'review', undefined);
    const removed = buildReviewDm(escalated, PEOPLE.lead, 'escalated', undefined, undefined, new Set());
    // then the one left behind reads no due time (a revision would move it, and this DM is not updated as the moment goes
    // on), and the lead still asked reads "Decide by"
    expect(actionsOf(leftBehind.blocks)).toBeUndefined();
    expect(JSON.stringify(leftBehind.blocks)).not.toContain('<!date^');
    expect(JSON.stringify(buildReviewDm(escalated, PEOPLE.lead, 'escalated', undefined).blocks)).toContain('⏰ Decide by <!date^');
    // and the lead taken out of the leads reads only that: nothing of the moment, which is no longer theirs to see
    expect(removed.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'You are no longer in *leads*, so this moment is not yours to decide: nothing more is needed from you.', verbatim: true } }]);
    expect(removed.text).not.toContain('Oreo');
  });

  test("a DM's notification text (what a lock screen shows) says why it came, in which role, how long is left, and how it ended", () => {
    const view = flagged(CRISIS);
    const text = (why: 'review' | 'remind' | 'escalated' | 'revised', v: MomentView = view, now?: number) => buildReviewDm(v, PEOPLE.cal, why, undefined, undefined, undefined, now).text;
    const due = view.moment.dueAt;
    expect(text('review', view, due - 30 * MINUTE)).toBe('Review needed as comms (30 min left): Oreo: dunk in the dark');
    expect(text('remind', view, due - 15 * MINUTE + 20_000)).toBe('Reminder: 15 min left to decide as comms: Oreo: dunk in the dark');
    expect(text('review', view, due - 29 * MINUTE - 59_000)).toBe('Review needed as comms (30 min left): Oreo: dunk in the dark');
    expect(text('escalated', view, due - 90 * MINUTE)).toBe('Escalated to you as comms (1 h 30 min left): Oreo: dunk in the dark');
    expect(text('revised', view, due - 20_000)).toBe('New revision to review as comms (under a minute left): Oreo: dunk in the dark');
    // (without the time, or past it, none is given)
    expect(text('review')).toBe('Review needed as comms: Oreo: dunk in the dark');
    expect(text('remind', view, due + 1)).toBe('Reminder: review needed as comms: Oreo: dunk in the dark');
    expect(text('review', approve(view, PEOPLE.cal, NOW))).toBe('You approved: Oreo: dunk in the dark (waiting on other reviewers)');
    const ended = approve(approve(view, PEOPLE.cal, NOW), PEOPLE.leo, NOW);
    expect(text('review', ended, NOW)).toBe('Approved: Oreo: dunk in the dark (nothing more is needed from you)');
    const rejected = act(view, { kind: 'reject', actor: actor(PEOPLE.leo), reason: 'No' }, NOW);
    expect(text('review', rejected, NOW)).toBe('Rejected: Oreo: dunk in the dark (nothing more is needed from you)');
  });

  test('a moment flagged urgent says so first in the notification of a DM that asks, and in the card\'s text', () => {
    // given a crisis moment the flagger marked urgent
    const view = flagged(CRISIS, { content: { ...CONTENT, urgency: 'high' } });
    const text = (why: 'review' | 'remind' | 'escalated' | 'revised', v: MomentView = view) => buildReviewDm(v, PEOPLE.cal, why, undefined).text;
    // then every DM that asks for a decision opens with it, where a lock screen cut short still shows it
    expect(text('review')).toBe('🔥 Urgent: Review needed as comms: Oreo: dunk in the dark');
    expect(text('remind')).toBe('🔥 Urgent: Reminder: review needed as comms: Oreo: dunk in the dark');
    expect(text('escalated')).toBe('🔥 Urgent: Escalated to you as comms: Oreo: dunk in the dark');
    expect(text('revised')).toBe('🔥 Urgent: New revision to review as comms: Oreo: dunk in the dark');
    // and one that asks nothing more does not hurry anyone
    expect(text('review', approve(view, PEOPLE.cal, NOW))).toBe('You approved: Oreo: dunk in the dark (waiting on other reviewers)');
    // and the card's text (what a screen reader says) says it beside the status, as its blocks do
    expect(buildCard(view).text).toBe('Moment #1 (⏳ pending, urgent): Oreo: dunk in the dark');
    expect(buildCard(flagged(CRISIS)).text).toBe('Moment #1 (⏳ pending): Oreo: dunk in the dark');
  });

  test('a reviewer asked in two roles who left one is asked for the other only', () => {
    const view = flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } });
    expect(buildReviewDm(view, PEOPLE.cal, 'review', undefined).text).toBe('Review needed as comms and legal: Oreo: dunk in the dark');
    expect(buildReviewDm(view, PEOPLE.cal, 'review', undefined).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> needs your decision as *comms* and *legal*.` } });
    expect(buildReviewDm(view, PEOPLE.cal, 'review', undefined, undefined, new Set(['comms'])).blocks[0]).toMatchObject({ text: { text: `<@${PEOPLE.flagger}> needs your decision as *comms*.` } });
  });

  test('a revision under review shows, on the card and in the DM, the request for changes it answers', () => {
    // given ana asked for changes, and the flagger posted revision 2
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Name the team <!channel>' }, NOW);
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Go Tigers' } }, NOW + MINUTE);
    // then bea's DM about the revision and the card quote the request, escaped, next to the new copy
    const said = `✏️ Revision 2 answers <@${PEOPLE.ana}>'s request for changes:\n> Name the team &lt;!channel&gt;`;
    expect(buildReviewDm(revised, PEOPLE.bea, 'revised', undefined).blocks[3]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: said, verbatim: true } });
    expect(buildCard(revised).blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: said, verbatim: true } });
    // and neither the first revision nor a decided one shows a request
    expect(JSON.stringify(buildCard(flagged()).blocks)).not.toContain('answers');
    expect(JSON.stringify(buildCard(approve(revised, PEOPLE.ana, NOW + 2 * MINUTE)).blocks)).not.toContain('answers');
  });

  test('a reviewer whose role five others filled reads them counted as approvers, not roles', () => {
    // given brand needs four approvals of five members, and four have approved
    const brand = ['U0B1', 'U0B2', 'U0B3', 'U0B4', 'U0B5'];
    let view = flagged(topic({ require: { brand: 4, legal: 1 } }), { members: { brand, legal: [PEOPLE.leo] } });
    for (const user of brand.slice(0, 4)) view = approve(view, user, NOW);
    // when the fifth's DM is rendered, then it names three approvers and counts the fourth as one
    expect(JSON.stringify(buildReviewDm(view, 'U0B5', 'review', undefined).blocks[0])).toContain('(<@U0B4>, <@U0B3>, <@U0B2> and 1 other approver), so yours is not needed.');
  });

  test('a reviewer asked in many long-named roles reads a few of them and a count, in blocks Slack accepts', () => {
    // given a topic needing 60 roles with 60-character names, each with its own reviewer, and cal in all of them
    const roles = Array.from({ length: 60 }, (_, i) => `${String(i).padStart(2, '0')} ${'regional legal and compliance review board '.repeat(2)}`.slice(0, 60));
    const many = topic({ require: Object.fromEntries(roles.map((r) => [r, 1])) });
    const view = flagged(many, { members: Object.fromEntries(roles.map((r, i) => [r, [PEOPLE.cal, `U0REGION${i}`]])) });
    // when cal is asked, has approved, and has left every role
    const asked = buildReviewDm(view, PEOPLE.cal, 'review', undefined);
    const approved = buildReviewDm(approve(view, PEOPLE.cal, NOW), PEOPLE.cal, 'review', undefined);
    const left = buildReviewDm(view, PEOPLE.cal, 'review', undefined, undefined, new Set());
    // then each names three roles and counts the other 57, and every block is within Slack's limits
    expect(JSON.stringify(asked.blocks[0])).toContain(`needs your decision as *${roles[0]}*, *${roles[1]}*, *${roles[2]}* and 57 other roles.`);
    // (an approval fills one role's seat: that one is named)
    expect(JSON.stringify(approved.blocks[0])).toContain(`You approved this as *${roles[0]}*. It still waits on other reviewers.`);
    expect(JSON.stringify(left.blocks[0])).toContain(`You are no longer in *${roles[0]}*, *${roles[1]}*, *${roles[2]}* or 57 other roles, so`);
    for (const dm of [asked, approved, left]) expect(checkBlocks(dm.blocks, MESSAGE_BLOCK_LIMIT)).toEqual([]);
  });

  test('a DM replaced by a later revision or tier says so, without buttons or the copy, and escapes the title', () => {
    const hostile = flagged(CRISIS, { content: { ...CONTENT, title: '<!channel> sale' } });
    const asked = act(hostile, { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'Softer' }, NOW);
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, title: '<!channel> sale' } }, NOW + 1);
    const byRevision = buildReplacedDm(revised, { tier: 0, revision: 1 }, 'https://slack.example/p1');
    expect(byRevision.text).toBe('&lt;!channel&gt; sale: replaced by revision 2');
    expect(byRevision.blocks[0]).toMatchObject({ text: { text: `📝 <@${PEOPLE.flagger}> posted revision 2 since this message, which no longer counts: anything asked of you now comes in a newer message. <https://slack.example/p1|Open the card>` } });
    expect(byRevision.blocks.map((b) => b.type)).toEqual(['section', 'header']);
    const escalated = act(flagged(CRISIS), { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW);
    expect(buildReplacedDm(escalated, { tier: 0, revision: 1 }, undefined).text).toBe('Oreo: dunk in the dark: replaced by an escalation');
    expect(limitViolations(byRevision)).toEqual([]);
  });

  test('the DM of a closed moment says nothing more is needed and loses its buttons', () => {
    const dm = buildReviewDm(approve(flagged(), PEOPLE.ana, NOW), PEOPLE.bea, 'review', undefined);
    expect(dm.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: 'This moment is approved: nothing more is needed from you.' } });
    expect(actionsOf(dm.blocks)).toBeUndefined();
  });
});

describe('buildFlaggerNote', () => {
  const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Shorter' }, NOW);
  const note = { what: 'request_changes', userId: PEOPLE.bea, role: 'brand', comment: 'Shorter', tier: 0 } as const;
  const pressable = (message: { blocks: types.KnownBlock[] }) => JSON.stringify(message.blocks).includes(ACTION.revise);

  test("a request for changes tells the lock screen by when to send the revision, and its reminder how long is left", () => {
    const due = asked.moment.dueAt;
    const request = buildFlaggerNote(asked, note, undefined, 1, false, due - 25 * MINUTE);
    expect(request.text).toContain('\n⏰ Send a new revision within 25 min, or the moment expires.');
    // (the message itself says it under the request, with the date: not twice)
    expect(JSON.stringify(request.blocks[0])).not.toContain('within 25 min');
    expect(buildFlaggerNote(asked, note, undefined, 1, true, due - 10 * MINUTE).text).toMatch(/^⏰ Reminder: your new revision is due within 10 min\./);
    // once answered, no time is given
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 1);
    expect(buildFlaggerNote(revised, note, undefined, 1, false, due - 25 * MINUTE).text).not.toContain('within');
  });

  test('a request for changes offers Revise… only while that request is open', () => {
    // open: the button, for the revision asked on, and when the revision is due
    expect(pressable(buildFlaggerNote(asked, note, undefined, 1))).toBe(true);
    expect(JSON.stringify(buildFlaggerNote(asked, note, undefined, 1).blocks)).toContain(`Send a new revision by <!date^${Math.floor(asked.moment.dueAt / 1000)}^`);
    // revised since: the same request says it was answered
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: CONTENT }, NOW + 1);
    const answered = buildFlaggerNote(revised, note, undefined, 1);
    expect(pressable(answered)).toBe(false);
    expect(JSON.stringify(answered.blocks)).toContain('You sent a new revision');
    // asked again on revision 2, a DM of the first request going out late offers nothing to press
    const again = act(revised, { kind: 'request_changes', actor: actor(PEOPLE.bea), comment: 'Shorter still' }, NOW + 2);
    expect(pressable(buildFlaggerNote(again, note, undefined, 1))).toBe(false);
    expect(pressable(buildFlaggerNote(again, note, undefined, 2))).toBe(true);
    // ended: the status instead
    const withdrawn = buildFlaggerNote(act(asked, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, NOW + 1), note, undefined, 1);
    expect(pressable(withdrawn)).toBe(false);
    expect(JSON.stringify(withdrawn.blocks)).toContain('*Withdrawn*');
    expect(limitViolations(withdrawn)).toEqual([]);
  });

  test('an outcome is text only', () => {
    expect(buildFlaggerNote(approve(flagged(), PEOPLE.ana, NOW), { what: 'approved', userId: PEOPLE.ana, comment: undefined }, undefined).blocks).toEqual([]);
  });

  test('an approval DM whose copy does not fit a message says where it is whole', () => {
    const long = flagged(topic(), { content: { ...CONTENT, copy: 'word '.repeat(10_000) }, source: { channel: 'C0HERE', ts: '1714554000.000100' } });
    const note = buildFlaggerNote(approve(long, PEOPLE.ana, NOW), { what: 'approved', userId: PEOPLE.ana, comment: undefined }, undefined);
    expect(note.text.length).toBeLessThanOrEqual(APPROVED_TEXT_MAX);
    expect(note.text).toMatch(/…\n_Cut here to fit a message: the whole copy is in the flagged message\._$/);
    // and a copy that fits is quoted whole, with no such line
    expect(buildFlaggerNote(approve(flagged(), PEOPLE.ana, NOW), { what: 'approved', userId: PEOPLE.ana, comment: undefined }, undefined).text).not.toContain('Cut here');
  });

  test('a quick flag\'s copy of many lines, quoted, stays within the text Slack takes in an approval DM, and is whole on the card', () => {
    // given a /moment copy of 3,719 characters (the command takes 4,000) over 120 lines, each line's quote marker added
    const copy = Array.from({ length: 120 }, (_, i) => `Line ${String(i).padStart(3, '0')} of the launch thread.`).join('\n');
    const view = approve(flagged(topic(), { content: { ...CONTENT, copy } }), PEOPLE.ana, NOW);
    const note = buildFlaggerNote(view, { what: 'approved', userId: PEOPLE.ana, comment: undefined }, 'https://slack.example/p1');
    expect(note.text.length).toBeLessThanOrEqual(APPROVED_TEXT_MAX);
    expect(note.text).toMatch(/…\n_Cut here to fit a message: the whole copy is on the card\._\n<https:\/\/slack\.example\/p1\|Open the card>$/);
    expect(JSON.stringify(buildCard(view).blocks)).not.toContain('Cut here');
  });

  describe('a long approval DM sends the flagger to the whole copy only where it is', () => {
    // a press release of about 4,600 characters, flagged whole from a message
    const LONG = Array.from({ length: 80 }, (_, i) => `${String(i + 1).padStart(2, '0')}. Our spring range is in every store from Monday, online too.`).join('\n');
    const SOURCE = { channel: 'C0HERE', ts: '1714554000.000100' };
    const CARD = 'https://slack.example/p1';
    const approvedLong = () => approve(flagged(topic(), { content: { ...CONTENT, copy: LONG }, source: SOURCE }), PEOPLE.ana, NOW);

    test('the flagged message, when it still says what was approved', () => {
      const note = buildFlaggerNote(approvedLong(), { what: 'approved', userId: PEOPLE.ana, comment: undefined }, CARD);
      expect(note.text).toContain('the whole copy is in the flagged message');
    });

    test.each(['edited', 'deleted', 'unknown'] as const)('the card, when the message was %s since (it shows the copy whole)', (since) => {
      const note = buildFlaggerNote(approvedLong(), { what: 'approved', userId: PEOPLE.ana, comment: undefined, messageSince: since }, CARD);
      expect(note.text).not.toContain('the whole copy is in the flagged message');
      expect(note.text).toContain('the whole copy is on the card');
      expect(note.text.length).toBeLessThanOrEqual(APPROVED_TEXT_MAX);
    });

    test('the card, for a revision: the message holds the words reviewers asked to change', () => {
      const asked = act(flagged(topic(), { content: { ...CONTENT, copy: LONG }, source: SOURCE }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Drop the Monday claim' }, NOW);
      // the revise form's field takes 3,000 characters: 200 short lines with "&", longer once escaped and quoted
      const revisedCopy = Array.from({ length: 200 }, (_, i) => `Q&A & R&D ${String(i).padStart(3, '0')}`).join('\n');
      const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: revisedCopy } }, NOW + 1);
      const note = buildFlaggerNote(approve(revised, PEOPLE.bea, NOW + 2), { what: 'approved', userId: PEOPLE.bea, comment: undefined }, CARD);
      expect(note.text).toContain('approved as revised');
      expect(note.text).not.toContain('the whole copy is in the flagged message');
      expect(note.text).toContain('the whole copy is on the card');
    });

    test('not the flagged message, on the card and review DMs of a revision that kept the long copy: nobody looked at it since changes were asked', () => {
      // about 12,000 characters: more than a card's blocks hold, and more than the revise form's field, which keeps it
      const huge = Array.from({ length: 200 }, (_, i) => `${String(i + 1).padStart(3, '0')}. Our spring range is in every store from Monday, online too.`).join('\n');
      const asked = act(flagged(topic(), { content: { ...CONTENT, copy: huge }, source: SOURCE }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Better title please' }, NOW);
      const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, title: 'Spring range, everywhere', copy: huge } }, NOW + 1);
      const shown = [buildCard(revised), buildReviewDm(revised, PEOPLE.bea, 'revised', CARD)].map((message) => JSON.stringify(message.blocks).match(/✂️ _Cut here[^_]*_/)?.[0]);
      expect(shown).toEqual(Array(2).fill('✂️ _Cut here to fit a message._'));
    });

    test('nowhere named, when neither the message nor the card holds it whole', () => {
      const huge = approve(flagged(topic(), { content: { ...CONTENT, copy: 'word '.repeat(10_000) }, source: SOURCE }), PEOPLE.ana, NOW);
      const note = buildFlaggerNote(huge, { what: 'approved', userId: PEOPLE.ana, comment: undefined, messageSince: 'edited' }, CARD);
      expect(note.text).toMatch(/\n_Cut here to fit a message\._\n<https:\/\/slack\.example\/p1\|Open the card>$/);
    });
  });

  test('the approval DM carries the approved copy, escaped and quoted, then the link to the card', () => {
    const view = approve(flagged(topic(), { content: { ...CONTENT, copy: 'Dunk <!channel>\nin the dark' } }), PEOPLE.ana, NOW);
    const note = buildFlaggerNote(view, { what: 'approved', userId: PEOPLE.ana, comment: undefined }, 'https://slack.example/p1');
    expect(note.text).toBe('🎉 *Oreo: dunk in the dark* is approved. Go post it!\n> Dunk &lt;!channel&gt;\n> in the dark\n<https://slack.example/p1|Open the card>');
  });
});

describe('the card and the roster', () => {
  // The core's word on which roster changes show (cardChangesWithRoster and reviewDmsChangingWithRoster decide which
  // open cards and DMs a change of reviewers updates) must be what the card and the DMs render.
  const roster = (changes: Record<string, string[]>, unread: string[] = []): Roster => ({
    members: new Map(Object.entries({ ...MEMBERS, ...changes })),
    unread: new Set(unread),
  });

  // Every pair of these rosters over moments in every state that reads one.
  const rosters = [
    roster({}),
    roster({ comms: [] }),
    roster({ comms: [] }, ['comms']),
    roster({ legal: [PEOPLE.leo, PEOPLE.bea] }),
    roster({ legal: [] }),
    roster({ leads: [] }),
    roster({ leads: [PEOPLE.lead, PEOPLE.ana] }),
    roster({ leads: [], execs: [] }),
    roster({ execs: [] }),
    roster({ leads: [PEOPLE.cal] }),
    roster({ comms: [PEOPLE.bea] }),
    roster({ legal: [PEOPLE.leo, PEOPLE.cal] }),
  ];
  const fresh = flagged(CRISIS);
  const views = [
    fresh,
    approve(fresh, PEOPLE.leo, NOW),
    act(fresh, { kind: 'escalate', actor: actor(PEOPLE.cal) }, NOW),
    act(fresh, { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'shorter' }, NOW),
    approve(approve(fresh, PEOPLE.leo, NOW), PEOPLE.cal, NOW),
    // the flagger in a role of their own moment, never awaited
    flagged(CRISIS, { flaggerId: PEOPLE.cal, members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea] } }),
    // cal asked in comms and legal, who may leave one of them (pending, and with changes asked)
    flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } }),
    act(flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } }), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'shorter' }, NOW),
  ];

  test('a role its people have left says so at the top of the card, and what happens next', () => {
    const needs = (view: MomentView, r: Roster) => mrkdwnTexts(buildCard(view, r)).find((t) => t.startsWith('*Needs*')) ?? '';
    // given a crisis moment whose only legal reviewer left legal: the leads can still take it
    expect(needs(fresh, roster({ legal: [] })).split('\n')).toEqual([
      '*Needs*',
      '⚠️ Too few people left in *legal* to approve it: escalate it now, or it escalates when time is up.',
      `⏳ *comms* 0/1: <@${PEOPLE.cal}> ⏳`,
      '⏳ *legal* 0/1: _nobody left_',
    ]);
    // and with no later tier to take it, that it expires: nobody who joins legal now is asked, so only a new flag helps
    expect(needs(fresh, roster({ legal: [], leads: [], execs: [] })).split('\n')[1]).toBe(
      '⚠️ Too few people left in *legal* to approve it: it expires when time is up. Its flagger can withdraw it and flag it again once the role has people.',
    );
    // and, two roles short, the same of both
    expect(needs(fresh, roster({ comms: [], legal: [], leads: [], execs: [] })).split('\n')[1]).toBe(
      '⚠️ Too few people left in *comms* and *legal* to approve it: it expires when time is up. Its flagger can withdraw it and flag it again once these roles have people.',
    );
    // and nothing of the sort while everyone is in their role
    expect(needs(fresh, roster({}))).not.toContain('⚠️');
  });

  test('the card reads differently under two rosters exactly when cardChangesWithRoster says it does', () => {
    let differing = 0;
    for (const view of views) {
      for (const a of rosters) {
        for (const b of rosters) {
          const reads = JSON.stringify(buildCard(view, a)) !== JSON.stringify(buildCard(view, b));
          if (reads) differing += 1;
          expect({ status: view.moment.state.status, tier: view.moment.tier, a, b, changes: cardChangesWithRoster(view, a, b) }).toEqual({
            status: view.moment.state.status,
            tier: view.moment.tier,
            a,
            b,
            changes: reads,
          });
        }
      }
    }
    // and the pairs cover both answers
    expect(differing).toBeGreaterThan(20);
  });

  // Likewise for the reviewers' DMs (reviewDmsChangingWithRoster decides whose DMs a change of reviewers updates),
  // each rendered with the roster and the reviewer's roles under it, as delivery renders them. An open moment's only:
  // an ended one's DMs are rendered once, as it ends (someone out of every role they were asked in is shown nothing of
  // it), and no change of reviewers updates them.
  test("a reviewer's DM reads differently under two rosters exactly when reviewDmsChangingWithRoster names them", () => {
    const dm = (view: MomentView, userId: string, r: Roster) => JSON.stringify(buildReviewDm(view, userId, 'review', undefined, r, rolesIn(r, userId)));
    let differing = 0;
    for (const view of views.filter((v) => !isFinal(v.moment.state.status))) {
      const reviewers = [...new Set(view.assignments.filter((a) => a.tier <= view.moment.tier).map((a) => a.userId))];
      for (const a of rosters) {
        for (const b of rosters) {
          const changing = reviewDmsChangingWithRoster(view, a, b);
          for (const userId of reviewers) {
            const reads = dm(view, userId, a) !== dm(view, userId, b);
            if (reads) differing += 1;
            expect({ status: view.moment.state.status, tier: view.moment.tier, userId, a, b, changes: changing.includes(userId) }).toEqual({
              status: view.moment.state.status,
              tier: view.moment.tier,
              userId,
              a,
              b,
              changes: reads,
            });
          }
        }
      }
    }
    expect(differing).toBeGreaterThan(20);
  });
});

describe('the flagger on their own card', () => {
  test('a flagger in the required role is not listed as awaited unless their approval counts (self_approval)', () => {
    // given ana, in brand, flags a moment brand must approve
    const own = flagged(topic(), { flaggerId: PEOPLE.ana });
    const selfApproving = flagged(topic({ selfApproval: true }), { flaggerId: PEOPLE.ana });
    const reviewers = (view: MomentView) => JSON.stringify(buildCard(view).blocks[3]);
    // then bea alone is awaited; with self-approval on, ana is too
    expect(reviewers(own)).toContain(`<@${PEOPLE.bea}> ⏳`);
    expect(reviewers(own)).not.toContain(`<@${PEOPLE.ana}>`);
    expect(reviewers(selfApproving)).toContain(`<@${PEOPLE.ana}> ⏳`);
  });
});

describe('who the card lists under each role', () => {
  const needs = (view: MomentView) => (mrkdwnTexts(buildCard(view)).find((t) => t.startsWith('*Needs*')) ?? '').split('\n').slice(1);

  test('once a role has its approvals, its other reviewers are no longer shown as awaited', () => {
    // given comms is cal and bea, and cal approves a crisis moment (comms 1, legal 1)
    const view = approve(flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea] } }), PEOPLE.cal, NOW);
    // then comms shows its approver alone, and legal still waits on leo
    expect(needs(view)).toEqual([`✅ *comms* 1/1: <@${PEOPLE.cal}> ✅`, `⏳ *legal* 0/1: <@${PEOPLE.leo}> ⏳`]);
  });

  test('an approval recorded once its role was full (pressed on the card) is still shown, ticked, open or closed', () => {
    // given comms is cal and bea; cal approves, then bea approves from the card (recorded, filling no seat)
    const view = approve(approve(flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea] } }), PEOPLE.cal, NOW), PEOPLE.bea, NOW + 1);
    expect(needs(view)[0]).toBe(`✅ *comms* 1/1: <@${PEOPLE.cal}> ✅  <@${PEOPLE.bea}> ✅`);
    const closed = approve(view, PEOPLE.leo, NOW + 2);
    expect(closed.moment.state.status).toBe('approved');
    expect(needs(closed)[0]).toBe(`✅ *comms* 1/1: <@${PEOPLE.cal}> ✅  <@${PEOPLE.bea}> ✅`);
  });

  test('a reviewer in a filled role and an open one is awaited under the open one only', () => {
    // given comms is cal and bea, legal is leo and bea; cal approves (comms 1/1)
    const view = approve(flagged(CRISIS, { members: { ...MEMBERS, comms: [PEOPLE.cal, PEOPLE.bea], legal: [PEOPLE.leo, PEOPLE.bea] } }), PEOPLE.cal, NOW);
    expect(needs(view)).toEqual([`✅ *comms* 1/1: <@${PEOPLE.cal}> ✅`, `⏳ *legal* 0/1: <@${PEOPLE.leo}> ⏳  <@${PEOPLE.bea}> ⏳`]);
  });

  test('a reviewer in two roles is ticked in the role their approval counts for, not in both', () => {
    // given cal is in comms and legal (with leo), and approves
    const view = approve(flagged(CRISIS, { members: { ...MEMBERS, legal: [PEOPLE.leo, PEOPLE.cal] } }), PEOPLE.cal, NOW);
    // then legal, still 0/1, waits on leo and shows no tick of cal's
    const [comms, legal] = needs(view);
    expect(comms).toBe(`✅ *comms* 1/1: <@${PEOPLE.cal}> ✅`);
    expect(legal).toBe(`⏳ *legal* 0/1: <@${PEOPLE.leo}> ⏳`);
  });

  test('a reviewer who approved and then rejected is shown with the veto, not a tick, and their role is not counted as done', () => {
    const approved = approve(flagged(CRISIS), PEOPLE.cal, NOW);
    const view = act(approved, { kind: 'reject', actor: actor(PEOPLE.cal), reason: 'Legal spotted a problem' }, NOW + 1);
    expect(needs(view)).toEqual([`– *comms* 0/1: <@${PEOPLE.cal}> ❌`, `– *legal* 0/1: <@${PEOPLE.leo}> –`]);
  });

  test('a closed card never lists a flagger whose approval could not count', () => {
    // given ana, in brand with bea, flags and then withdraws
    const view = act(flagged(topic(), { flaggerId: PEOPLE.ana }), { kind: 'withdraw', actor: actor(PEOPLE.ana) }, NOW);
    expect(needs(view)).toEqual([`– *brand* 0/1: <@${PEOPLE.bea}> –`]);
    // with self-approval on, she was a reviewer like any other
    const own = act(flagged(topic({ selfApproval: true }), { flaggerId: PEOPLE.ana }), { kind: 'withdraw', actor: actor(PEOPLE.ana) }, NOW);
    expect(needs(own)).toEqual([`– *brand* 0/1: <@${PEOPLE.ana}> –  <@${PEOPLE.bea}> –`]);
  });
});

describe('a direction override in a title', () => {
  test("does not turn the words a DM's notification says after the title around", () => {
    // given a moment whose title ends in an open right-to-left override, approved by ana
    const view = approve(flagged(topic(), { content: { ...CONTENT, title: 'Spring promo \u202E' } }), PEOPLE.ana, NOW);
    // then ana's DM notification ("Approved: <title> (nothing more is needed from you)") carries no override
    const text = buildReviewDm(view, PEOPLE.ana, 'review', undefined, undefined, undefined, NOW).text;
    expect(text).toContain('(nothing more is needed from you)');
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});
