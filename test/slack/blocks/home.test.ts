import type { types } from '@slack/bolt';
import { teamStats, type MomentOutcomeRow } from '../../../src/core/stats';
import type { MomentSummary } from '../../../src/store/moments';
import { buildHome, type HomeStats } from '../../../src/slack/blocks/home';
import { ACTION, LIMIT } from '../../../src/slack/ids';
import type { HomeContents } from '../../../src/workflow/home-contents';
import { MINUTE, T0 } from '../../core/fixtures';

const NO_STATS: HomeStats = { stats: teamStats([]), days: 30 };

function summary(id: number): MomentSummary {
  return {
    id,
    revision: 1,
    title: `Quarterly launch & teaser number ${id} for the spring campaign, with a long title ${'x'.repeat(60)}`,
    topic: 'launches',
    status: 'pending',
    tier: 0,
    dueAt: T0,
    card: { channel: 'C0REVIEW', ts: `1700000000.${String(id).padStart(6, '0')}`, permalink: `https://greenlight-sandbox.slack.com/archives/C0REVIEW/p${id}` },
  };
}

function lists(waiting: readonly MomentSummary[], flagged: readonly MomentSummary[], more: Partial<HomeContents> = {}): HomeContents {
  return { waiting, waitingAs: new Map(), waitingUnlisted: 0, waitingOrMore: false, flagged, openFlaggedUnlisted: 0, escalateTo: new Map(), ...more };
}

function sectionTexts(view: types.HomeView): string[] {
  return view.blocks.flatMap((block) => ('text' in block && block.type === 'section' && block.text ? [block.text.text] : []));
}

describe('buildHome', () => {
  test('a long waiting list keeps whole lines within the section limit: no link or entity is cut', () => {
    // given twenty waiting moments whose lines together pass 3,000 characters
    const waiting = Array.from({ length: 20 }, (_, i) => summary(i + 1));
    // when the home is built
    const [list] = sectionTexts(buildHome(lists(waiting, []), NO_STATS));
    // then the list fits, every line is whole (its link closed), and the rest is counted
    expect(list).toBeDefined();
    const text = list ?? '';
    expect(text.length).toBeLessThanOrEqual(3000);
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    expect(last).toMatch(/^… and \d+ more$/);
    for (const line of lines) expect(line).toMatch(/^• #\d+ <https:\/\/[^|<>]+\|[^<>]+> {2}\(launches, due <!date\^\d+\^[^>]+>\)$/);
    expect(lines.length + Number(/\d+/.exec(last)?.[0])).toBe(20);
  });

  test('a linked title\'s own asterisks cannot turn part of the link bold, in either list', () => {
    const starred = { ...summary(7), title: 'Buy 2*3 packs, get a 5* stay' };
    const texts = sectionTexts(buildHome(lists([starred], [starred]), NO_STATS)).join('\n');
    expect(texts).toContain('|Buy 2∗3 packs, get a 5∗ stay>');
    expect(texts).not.toContain('2*3');
  });

  test('the team stats show each topic\'s median time to a decision, as /moment stats does', () => {
    // given a sports moment approved after 90 s and one rejected after 150 s, and a crisis moment still open
    const rows: MomentOutcomeRow[] = [
      { topic: 'sports', status: 'approved', createdAt: T0, closedAt: T0 + 90_000 },
      { topic: 'sports', status: 'rejected', createdAt: T0, closedAt: T0 + 150_000 },
      { topic: 'crisis', status: 'pending', createdAt: T0, closedAt: undefined },
    ];
    // when the home is built
    const view = buildHome(lists([], []), { stats: teamStats(rows), days: 30 });
    // then its last section is the stats: the median per topic, and a topic nobody decided yet says so
    expect(view.blocks.at(-2)).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Team stats' } });
    expect(sectionTexts(view).at(-1)).toBe(
      [
        '*Last 30 days*: 3 flagged, 1 approved, 1 rejected, 0 expired, 0 withdrawn, 1 open.',
        '*Median time to a decision, by topic*',
        '• sports: 2m 0s (2 of 2 decided)',
        '• crisis: no decision yet (0 of 1 decided)',
      ].join('\n'),
    );
  });

  test("the flagger's open moments offer Withdraw, Escalate where a later tier can take it, and Revise… while changes are asked; closed ones only read", () => {
    // given four moments flagged: two pending (the leads could take the first), one waiting for the revision, one approved
    const flagged: MomentSummary[] = [
      summary(1),
      { ...summary(2), status: 'changes_requested', revision: 3 },
      { ...summary(3), status: 'approved' },
      { ...summary(4), tier: 1 },
    ];
    // when the home is built
    const blocks = buildHome(lists([], flagged, { escalateTo: new Map([[1, ['leads']]]) }), NO_STATS).blocks;
    // then each open one has its buttons on that moment (and revision), the closed one none
    const actions = (blocks as types.KnownBlock[]).flatMap((b) =>
      b.type === 'actions' ? [{ id: b.block_id, buttons: b.elements.map((e) => ('action_id' in e && 'value' in e ? `${e.action_id}=${e.value}` : '')) }] : [],
    );
    expect(actions).toEqual([
      { id: 'flagged:1', buttons: [`${ACTION.escalate}=1:1:0`, `${ACTION.withdraw}=1:1`] },
      { id: 'flagged:2', buttons: [`${ACTION.revise}=2:3`, `${ACTION.withdraw}=2:3`] },
      { id: 'flagged:4', buttons: [`${ACTION.withdraw}=4:1`] },
    ]);
    // and Escalate asks first, naming who it pings
    expect(JSON.stringify(blocks)).toContain('Everyone in leads is pinged; any one of them decides alone.');
    expect(sectionTexts(buildHome(lists([], flagged), NO_STATS)).join('\n')).toContain('changes requested, revision due <!date^');
  });

  test('a quiet month says nothing was flagged', () => {
    expect(sectionTexts(buildHome(lists([], []), NO_STATS)).at(-1)).toBe('No moments flagged in the last 30 days.');
  });

  test('stats for more topics than a section holds are cut at whole lines, and the view stays within Block Kit limits', () => {
    // given 200 topics with long names, each decided once
    const rows: MomentOutcomeRow[] = Array.from({ length: 200 }, (_, i) => ({
      topic: `topic-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`,
      status: 'approved',
      createdAt: T0,
      closedAt: T0 + MINUTE,
    }));
    // when the home is built with full lists too
    const view = buildHome(lists([summary(1)], [summary(2)]), { stats: teamStats(rows), days: 30 });
    // then the stats section fits, ends with the count of topics left out, and the view has few blocks
    const stats = sectionTexts(view).at(-1) ?? '';
    expect(stats.length).toBeLessThanOrEqual(LIMIT.sectionText);
    expect(stats.split('\n').at(-1)).toMatch(/^… and \d+ more$/);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMIT.blocksPerView);
  });

  test('waiting moments read past the list are counted in its last line, as a floor when the count stopped', () => {
    // given two listed (short lines), and 3 more read but not listed
    const short = (id: number): MomentSummary => ({ ...summary(id), title: `Post ${id}` });
    const [exact] = sectionTexts(buildHome(lists([short(1), short(2)], [], { waitingUnlisted: 3 }), NO_STATS));
    expect(exact?.split('\n')).toHaveLength(3);
    expect(exact?.split('\n').at(-1)).toBe('… and 3 more');
    // and when the count itself stopped at its bound
    const [floor] = sectionTexts(buildHome(lists([short(1)], [], { waitingUnlisted: 80, waitingOrMore: true }), NO_STATS));
    expect(floor?.split('\n').at(-1)).toBe('… and 80+ more');
  });

  test('thirty open moments flagged, and more, stay within the Home\'s blocks and say more are open', () => {
    const flagged = Array.from({ length: 30 }, (_, i) => summary(i + 1));
    const view = buildHome(lists([summary(100)], flagged, { openFlaggedUnlisted: 1 }), NO_STATS);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMIT.blocksPerView);
    expect(JSON.stringify(view.blocks)).toContain('older ones of yours still open');
  });
});
