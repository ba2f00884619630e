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

/** The lines of the "Waiting for you" list, over all its sections (up to the first divider). */
function waitingLines(view: types.HomeView): string[] {
  const blocks = view.blocks.slice(0, view.blocks.findIndex((b) => b.type === 'divider'));
  return sectionTexts({ ...view, blocks }).flatMap((text) => text.split('\n'));
}

/** Each actions block: its id, and its buttons as `action=value`. */
function actionRows(view: types.HomeView): { id: string; buttons: string[] }[] {
  return (view.blocks as types.KnownBlock[]).flatMap((b) =>
    b.type === 'actions' ? [{ id: b.block_id ?? '', buttons: b.elements.map((e) => ('action_id' in e && 'value' in e ? `${e.action_id}=${e.value}` : '')) }] : [],
  );
}

/** A waiting moment's line as the list shows it: whole, its link closed. */
function wholeLine(id: number): string {
  return expect.stringMatching(new RegExp(`^• #${id} <https://[^|<>]+\\|[^<>]+> {2}\\(launches, due <!date\\^\\d+\\^[^>]+>\\)$`)) as unknown as string;
}

describe('buildHome', () => {
  test('all twenty waiting moments it read are listed, each in its own section with the buttons its review DM gives', () => {
    // given twenty waiting moments whose lines together pass 3,000 characters, the third escalated, the first escalable
    const waiting = Array.from({ length: 20 }, (_, i) => (i === 2 ? { ...summary(i + 1), tier: 1 } : summary(i + 1)));
    // when the home is built
    const view = buildHome(lists(waiting, [], { escalateTo: new Map([[1, ['leads']]]) }), NO_STATS);
    // then none is cut off or counted in "… and N more": each has its line, then its buttons on that moment and tier
    expect(JSON.stringify(view.blocks)).not.toMatch(/… and \d+ more/);
    const actions = actionRows(view).filter((a) => a.id.startsWith('waiting:'));
    expect(actions.map((a) => a.id)).toEqual(waiting.map((m) => `waiting:${m.id}`));
    expect(actions[0]?.buttons).toEqual([`${ACTION.approve}=1:1:0`, `${ACTION.requestChanges}=1:1:0`, `${ACTION.reject}=1:1:0`, `${ACTION.escalate}=1:1:0`]);
    expect(actions[2]?.buttons).toEqual([`${ACTION.approve}=3:1:1`, `${ACTION.requestChanges}=3:1:1`, `${ACTION.reject}=3:1:1`]);
    // and right above its buttons, the moment's own line, alone in its section
    expect(waitingLines(view)).toEqual(waiting.map((m) => expect.stringMatching(`^• #${m.id} <`)));
    for (const m of waiting) {
      const at = view.blocks.findIndex((b) => b.type === 'actions' && b.block_id === `waiting:${m.id}`);
      expect(sectionTexts({ ...view, blocks: [view.blocks[at - 1]!] })).toEqual([expect.stringMatching(`^• #${m.id} <[^\n]+$`)]);
    }
  });

  test('in the worst case the Home stays within its 100 blocks: the first waiting moments (the soonest due) get buttons, the rest whole lines', () => {
    // given twenty waiting moments and more unread, thirty open moments flagged (each with its buttons) and older ones
    const waiting = Array.from({ length: 20 }, (_, i) => summary(i + 1));
    const flagged = Array.from({ length: 30 }, (_, i) => summary(i + 101));
    // when the home is built
    const view = buildHome(lists(waiting, flagged, { waitingUnlisted: 5, openFlaggedUnlisted: 1 }), NO_STATS);
    // then it fits, the newest waiting moments have their buttons, and every other one is listed, then the unread counted
    expect(view.blocks.length).toBeLessThanOrEqual(LIMIT.blocksPerView);
    const buttoned = actionRows(view).filter((a) => a.id.startsWith('waiting:')).map((a) => Number(a.id.slice('waiting:'.length)));
    expect(buttoned.length).toBeGreaterThanOrEqual(15);
    expect(buttoned).toEqual(waiting.slice(0, buttoned.length).map((m) => m.id));
    const listed = waitingLines(view);
    expect(listed.filter((l) => l.startsWith('• #')).map((l) => Number(/^• #(\d+)/.exec(l)?.[1]))).toEqual(waiting.map((m) => m.id));
    expect(listed.at(-1)).toBe('… and 5 more, due later: each is in your DMs from Greenlight');
  });

  test('waiting moments left without buttons are listed over as many sections as they need, never cut to one', () => {
    // given more flagged moments than the Home ever reads (45 open: 90 blocks), leaving the waiting list a dozen blocks
    const waiting = Array.from({ length: 20 }, (_, i) => summary(i + 1));
    const flagged = Array.from({ length: 45 }, (_, i) => summary(i + 101));
    // when the home is built
    const view = buildHome(lists(waiting, flagged), NO_STATS);
    // then it fits, every waiting moment is listed in whole lines, in sections each within Slack's 3,000 characters
    expect(view.blocks.length).toBeLessThanOrEqual(LIMIT.blocksPerView);
    const lines = waitingLines(view);
    expect(lines).toEqual(waiting.map((m) => wholeLine(m.id)));
    const sections = view.blocks.slice(1, view.blocks.findIndex((b) => b.type === 'divider')).filter((b) => b.type === 'section');
    expect(sections.filter((b) => sectionTexts({ ...view, blocks: [b] })[0]!.includes('\n')).length).toBeGreaterThan(1);
    for (const text of sectionTexts({ ...view, blocks: sections })) expect(text.length).toBeLessThanOrEqual(LIMIT.sectionText);
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
      { topic: 'sports', status: 'approved', createdAt: T0, closedAt: T0 + 90_000, revisingMs: 0 },
      { topic: 'sports', status: 'rejected', createdAt: T0, closedAt: T0 + 150_000, revisingMs: 0 },
      { topic: 'crisis', status: 'pending', createdAt: T0, closedAt: undefined, revisingMs: 0 },
      { topic: 'launch', status: 'expired', createdAt: T0, closedAt: T0 + 600_000, revisingMs: 0 },
      { topic: 'launch', status: 'withdrawn', createdAt: T0, closedAt: T0 + 60_000, revisingMs: 0 },
    ];
    // when the home is built
    const view = buildHome(lists([], []), { stats: teamStats(rows), days: 30 });
    // then its last section is the stats: the median per topic, a topic nobody decided yet says so, and one whose
    // moments all ended undecided (expired, withdrawn) says none was, not that some still wait
    expect(view.blocks.at(-2)).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Team stats' } });
    expect(sectionTexts(view).at(-1)).toBe(
      [
        '*Last 30 days*: 5 flagged, 1 approved, 1 rejected, 1 expired, 1 withdrawn, 1 open.',
        '*Median time to a decision, by topic* (time spent revising left out)',
        '• launch: none decided (0 of 2 decided)',
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
      { id: 'flagged:1', buttons: [`${ACTION.escalate}=1:1:0`, `${ACTION.withdraw}=1:1:0`] },
      { id: 'flagged:2', buttons: [`${ACTION.revise}=2:3:0`, `${ACTION.withdraw}=2:3:0`] },
      { id: 'flagged:4', buttons: [`${ACTION.withdraw}=4:1:1`] },
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
      revisingMs: 0,
    }));
    // when the home is built with full lists too
    const view = buildHome(lists([summary(1)], [summary(2)]), { stats: teamStats(rows), days: 30 });
    // then the stats section fits, ends with the count of topics left out, and the view has few blocks
    const stats = sectionTexts(view).at(-1) ?? '';
    expect(stats.length).toBeLessThanOrEqual(LIMIT.sectionText);
    expect(stats.split('\n').at(-1)).toMatch(/^… and \d+ more$/);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMIT.blocksPerView);
  });

  test('waiting moments read past the list are counted after the last one, as a floor when the count stopped', () => {
    // given two listed (short lines), and 3 more read but not listed
    const short = (id: number): MomentSummary => ({ ...summary(id), title: `Post ${id}` });
    const exact = waitingLines(buildHome(lists([short(1), short(2)], [], { waitingUnlisted: 3 }), NO_STATS));
    expect(exact).toHaveLength(3);
    expect(exact.at(-1)).toBe('… and 3 more, due later: each is in your DMs from Greenlight');
    // and when the count itself stopped at its bound (the soonest due of all may not have been read: not "due later")
    expect(waitingLines(buildHome(lists([short(1)], [], { waitingUnlisted: 80, waitingOrMore: true }), NO_STATS)).at(-1)).toBe('… and 80+ more: each is in your DMs from Greenlight');
  });

  test('the header says how many moments wait, as a floor when the count stopped, and no count when none do', () => {
    const header = (view: ReturnType<typeof buildHome>) => JSON.stringify(view.blocks[0]);
    expect(header(buildHome(lists([summary(1), summary(2)], [], { waitingUnlisted: 3 }), NO_STATS))).toContain('"Waiting for you (5)"');
    expect(header(buildHome(lists([summary(1)], [], { waitingUnlisted: 80, waitingOrMore: true }), NO_STATS))).toContain('"Waiting for you (81+)"');
    expect(header(buildHome(lists([], []), NO_STATS))).toContain('"Waiting for you"');
  });

  test('thirty open moments flagged, and more, stay within the Home\'s blocks and say more are open', () => {
    const flagged = Array.from({ length: 30 }, (_, i) => summary(i + 1));
    const view = buildHome(lists([summary(100)], flagged, { openFlaggedUnlisted: 1 }), NO_STATS);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMIT.blocksPerView);
    expect(JSON.stringify(view.blocks)).toContain('older ones of yours still open');
  });
});
