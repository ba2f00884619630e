import { parseRouting } from '../../../src/config';
import type { Routing } from '../../../src/core/routing-types';
import type { MomentSummary } from '../../../src/store/moments';
import { buildCard } from '../../../src/slack/blocks/card';
import { buildHelpText, buildListText } from '../../../src/slack/blocks/command-replies';
import { buildFlagModal } from '../../../src/slack/blocks/flag-modal';
import { buildRejectModal, buildRequestChangesModal, buildReviseModal } from '../../../src/slack/blocks/decision-modals';
import { checkView } from '../../../src/sandbox/stand-in-blocks';
import { FIELD, VIEW } from '../../../src/slack/ids';
import { act, actor, CONTENT, flagged, PEOPLE, T0, topic } from '../../core/fixtures';

function routing(): Routing {
  const parsed = parseRouting(
    `
defaults: { channel: C0REVIEW, decide_within: 30m, escalate_to: [] }
roles: { brand: { members: [U0ANA] } }
topics:
  - { name: crisis, require: { brand: 1 } }
  - { name: default, require: { brand: 1 } }
`,
    'routing.yml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.routing;
}

describe('buildFlagModal', () => {
  test('the form offers every topic, the message\'s own (default when its words name none) preselected, urgency normal, and carries its origin', () => {
    // given a flag from a message; when the modal is built with the message prefilled
    const origin = { channel: 'C0HERE', source: { channel: 'C0SRC', ts: '1.1' } };
    const modal = buildFlagModal(routing(), origin, { title: 'Launch day', copy: 'x'.repeat(5000), link: 'https://example.com/m', topic: 'default' });
    // then it is the flag form, with the origin in its metadata
    expect(modal.callback_id).toBe(VIEW.flag);
    expect(JSON.parse(modal.private_metadata ?? '')).toEqual(origin);
    const ids = modal.blocks.map((b) => b.block_id);
    expect(ids).toEqual([FIELD.title.block, FIELD.copy.block, FIELD.link.block, FIELD.topic.block, FIELD.urgency.block]);
    // and the title is prefilled, the copy cut to the input's 3000 characters, the link kept, default chosen
    const json = JSON.stringify(modal.blocks);
    expect(json).toContain('"initial_value":"Launch day"');
    expect(json).toContain(`"initial_value":"${'x'.repeat(2999)}…"`);
    expect(json).toContain('"initial_value":"https://example.com/m"');
    expect(json).toContain('"initial_option":{"text":{"type":"plain_text","text":"default"},"value":"default"}');
    expect(json).toContain('"initial_option":{"text":{"type":"plain_text","text":"Normal"},"value":"normal"}');
  });

  test('without a prefill, copy, link and topic start empty: the words typed choose the topic', () => {
    const json = JSON.stringify(buildFlagModal(routing(), { channel: undefined }, undefined).blocks);
    expect(json).not.toContain('initial_value');
    expect(json).not.toContain('"initial_option":{"text":{"type":"plain_text","text":"default"}');
  });

  test('a message whose words name a topic opens with that topic chosen', () => {
    const modal = buildFlagModal(routing(), { channel: 'C0HERE' }, { title: undefined, copy: 'Statement about tonight #crisis', link: undefined, topic: 'crisis' });
    expect(JSON.stringify(modal.blocks)).toContain('"initial_option":{"text":{"type":"plain_text","text":"crisis"},"value":"crisis"}');
  });
});

describe('buildRejectModal', () => {
  test('the reject modal shows the escaped title, asks for a reason and carries what it rejects', () => {
    const view = flagged(topic(), { content: { ...CONTENT, title: 'Hi <!channel> & co' } });
    const context = { momentId: 1, revision: 1, channel: 'C0REVIEW', responseUrl: undefined };
    const modal = buildRejectModal(view, context);
    expect(modal.callback_id).toBe(VIEW.reject);
    expect(JSON.parse(modal.private_metadata ?? '')).toEqual({ momentId: 1, revision: 1, channel: 'C0REVIEW' });
    expect(modal.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', verbatim: true, text: '*Hi &lt;!channel&gt; &amp; co*\nOne reject is final: the moment will not be posted. Your reason is shown on the card and to the flagger.' },
    });
    expect(modal.blocks[1]?.block_id).toBe(FIELD.reason.block);
    // and it says true: the card quotes the reason for everyone in the channel
    const rejected = act(view, { kind: 'reject', actor: actor(PEOPLE.ana), reason: 'Off brand' }, T0 + 1);
    expect(JSON.stringify(buildCard(rejected).blocks)).toContain('> Off brand');
  });
});

describe('buildRequestChangesModal and buildReviseModal', () => {
  const context = { momentId: 1, revision: 1, channel: 'C0REVIEW', responseUrl: undefined };
  const hostile = { title: 'Hi <!channel> & co', copy: 'Ping <!here> and <@U0BOSS>', link: 'https://example.com/a?b=1&c=2', urgency: 'high' as const };

  test('the request changes modal shows the escaped title, asks what should change and carries the revision it is about', () => {
    const modal = buildRequestChangesModal(flagged(topic(), { content: hostile }), context);
    expect(modal.callback_id).toBe(VIEW.requestChanges);
    expect(JSON.parse(modal.private_metadata ?? '')).toEqual({ momentId: 1, revision: 1, channel: 'C0REVIEW' });
    expect(JSON.stringify(modal.blocks[0])).toContain('*Hi &lt;!channel&gt; &amp; co*');
    // and that what is written is not for the flagger alone: the card quotes it too
    expect(JSON.stringify(modal.blocks[0])).toContain('also shown on the card');
    const asked = act(flagged(topic(), { content: hostile }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, T0 + 1);
    expect(JSON.stringify(buildCard(asked).blocks)).toContain('> Shorter');
    expect(modal.blocks[1]?.block_id).toBe(FIELD.changes.block);
    expect(checkView(modal, ['modal'])).toEqual([]);
  });

  test('the revise modal quotes the request escaped and opens on the moment as it is, every field editable', () => {
    const asked = act(flagged(topic(), { content: hostile }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'No <!channel> & shorter' }, T0 + 1);
    const modal = buildReviseModal(asked, context);
    expect(modal.callback_id).toBe(VIEW.revise);
    expect(JSON.stringify(modal.blocks[0])).toContain(`<@${PEOPLE.ana}> asked for changes:\\n> No &lt;!channel&gt; &amp; shorter`);
    const initial = Object.fromEntries(
      modal.blocks.flatMap((b) => (b.type === 'input' && b.block_id && 'element' in b ? [[b.block_id, JSON.stringify(b.element)]] : [])),
    );
    // plain text inputs show the text as typed: nothing in them is mrkdwn
    expect(initial[FIELD.title.block]).toContain('"initial_value":"Hi <!channel> & co"');
    expect(initial[FIELD.copy.block]).toContain('"initial_value":"Ping <!here> and <@U0BOSS>"');
    expect(initial[FIELD.link.block]).toContain('"initial_value":"https://example.com/a?b=1&c=2"');
    expect(initial[FIELD.urgency.block]).toContain('"initial_option":{"text":{"type":"plain_text","text":"Urgent 🔥"},"value":"high"}');
    expect(checkView(modal, ['modal'])).toEqual([]);
  });
});

describe('command replies', () => {
  test('help lists the commands and every topic as #name', () => {
    const help = buildHelpText(routing(), 'zap');
    expect(help).toContain('React with :zap: on a message');
    expect(help.split('\n').at(-1)).toBe('Topics: `#crisis` `#default`');
  });

  test('an empty list says nothing is open', () => {
    expect(buildListText({ newest: [], total: 0 })).toBe('Nothing reviewed in this channel, flagged by you or with you among its reviewers is open. 🎉');
  });

  test('the list links each card, escapes titles, shows the due time as a date token and says what each waits for', () => {
    const open: MomentSummary[] = [
      { id: 3, revision: 1, title: 'Up', topic: 'crisis', status: 'pending', tier: 1, dueAt: T0, card: undefined },
      { id: 2, revision: 1, title: 'A <!here> & B', topic: 'crisis', status: 'pending', tier: 0, dueAt: T0, card: { channel: 'C1', ts: '1.1', permalink: 'https://slack.example/p2' } },
      { id: 1, revision: 1, title: 'Plain', topic: 'default', status: 'changes_requested', tier: 0, dueAt: T0, card: undefined },
    ];
    expect(buildListText({ newest: open, total: 3 })).toBe(
      [
        '*Open moments* (3), reviewed in this channel, flagged by you or with you among its reviewers:',
        `• #3 Up (crisis, escalated, due <!date^${T0 / 1000}^{date_short_pretty} at {time}|2024-05-01T09:00:00Z>)`,
        `• #2 <https://slack.example/p2|A &lt;!here&gt; &amp; B> (crisis, due <!date^${T0 / 1000}^{date_short_pretty} at {time}|2024-05-01T09:00:00Z>)`,
        `• #1 Plain (default, changes requested, revision due <!date^${T0 / 1000}^{date_short_pretty} at {time}|2024-05-01T09:00:00Z>)`,
      ].join('\n'),
    );
  });

  test('a linked title\'s own asterisks cannot turn part of the link bold', () => {
    const open: MomentSummary[] = [{ id: 7, revision: 1, title: 'Buy 2*3 packs, get a 5* stay ', topic: 'sports', status: 'pending', tier: 0, dueAt: T0, card: { channel: 'C1', ts: '1.1', permalink: 'https://slack.example/p7' } }];
    expect(buildListText({ newest: open, total: 1 })).toContain('<https://slack.example/p7|Buy 2∗3 packs, get a 5∗ stay> (sports,');
  });

  test('a list cut to its newest moments says how many are open in all', () => {
    const open: MomentSummary[] = [{ id: 25, revision: 1, title: 'Latest', topic: 'default', status: 'changes_requested', tier: 0, dueAt: T0, card: undefined }];
    expect(buildListText({ newest: open, total: 25 }).split('\n')[0]).toBe('*Open moments* (newest 1 of 25), reviewed in this channel, flagged by you or with you among its reviewers:');
  });
});
