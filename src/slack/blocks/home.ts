import type { types } from '@slack/bolt';
import type { TeamStats } from '../../core/stats';
import type { MomentSummary } from '../../store/moments';
import type { HomeContents } from '../../workflow/home-contents';
import { buttonValueFor, LIMIT } from '../ids';
import { buildStatsText, summaryState } from './command-replies';
import { boldTitle, escapeAndCut, fitLines, mrkdwn, roleNames, titleText } from './mrkdwn';
import { escalateButton, reviewerButtons, reviseButton, withdrawButton } from './moment-parts';

/** The team's numbers as the Home shows them: the same reading and wording as `/moment stats`. */
export interface HomeStats {
  readonly stats: TeamStats;
  readonly days: number;
}

/** App Home: what waits for this person's decision, what they flagged lately, and how fast the team decides. */
export function buildHome(contents: HomeContents, team: HomeStats, flagEmoji?: string): types.HomeView {
  const below: types.KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Flagged by you' } },
    ...flaggedByYou(contents.flagged, contents.escalateTo, flagEmoji),
    ...(contents.openFlaggedUnlisted > 0
      ? [{ type: 'context' as const, elements: [mrkdwn('… and older ones of yours still open, beyond these.')] }]
      : []),
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Team stats' } },
    // One line per topic: a routing file with many topics is cut at whole lines, never mid-line.
    { type: 'section', text: mrkdwn(fitLines(buildStatsText(team.stats, team.days).split('\n'), LIMIT.sectionText)) },
  ];
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: waitingHeader(contents) } },
      // The waiting list has whatever blocks the rest leaves of the Home's 100 (the flagged list takes up to 61).
      ...waitingForYou(contents, LIMIT.blocksPerView - 1 - below.length),
      ...below,
    ],
  };
}

/** The header of what waits on the viewer, with how many: on a phone, the rest of the list is screens away. */
function waitingHeader({ waiting, waitingUnlisted, waitingOrMore }: HomeContents): string {
  if (waiting.length === 0) return 'Waiting for you';
  return `Waiting for you (${waiting.length + waitingUnlisted}${waitingOrMore ? '+' : ''})`;
}

/**
 * After "… and N more" of the waiting list: each has its review DM, and they are due later than the listed ones, unless
 * more were waiting than were read (the soonest due of the newest ones are listed, not of all: see homeContents).
 */
const waitingElsewhere = (orMore: boolean) => (orMore ? ': each is in your DMs from Greenlight' : ', due later: each is in your DMs from Greenlight');

/**
 * What waits on the viewer, soonest due first, within `budget` blocks. On a phone the Home is where they decide (no card
 * beside it), so each moment comes with the buttons its review DM gives them, in a block of its own: two blocks a
 * moment, for as many as leave room to list the others. Those are listed as lines (about fourteen to a section, each
 * with a link and a date), over as many sections as they need; what still does not fit, or was not read, is counted in
 * "… and N more".
 */
function waitingForYou(contents: HomeContents, budget: number): types.KnownBlock[] {
  const { waiting } = contents;
  if (waiting.length === 0) {
    // A flagger asked for a revision has something to do, in "Flagged by you" below: the top must not say otherwise.
    const revising = contents.flagged.some((m) => m.status === 'changes_requested');
    return [list([], revising ? 'Nothing needs your decision right now, but changes are asked of you: revise in *Flagged by you* below.' : 'Nothing needs your decision right now.')];
  }
  const lines = waiting.map((m) => waitingLine(m, contents.waitingAs.get(m.id) ?? []));
  const rest = (from: number, most: number) => lineSections(lines.slice(from), most, contents.waitingUnlisted, contents.waitingOrMore);
  // The soonest due get buttons, as many as leave room for the others listed whole.
  let withButtons = Math.min(waiting.length, Math.floor(budget / 2));
  while (withButtons > 0 && 2 * withButtons + rest(withButtons, Infinity).length > budget) withButtons -= 1;
  return [
    ...waiting.slice(0, withButtons).flatMap((m, i): types.KnownBlock[] => [
      { type: 'section', text: mrkdwn(lines[i] ?? '') },
      { type: 'actions', block_id: `waiting:${m.id}`, elements: waitingButtons(m, contents.escalateTo.get(m.id)) },
    ]),
    ...rest(withButtons, Math.max(1, budget - 2 * withButtons)).map((text): types.KnownBlock => ({ type: 'section', text: mrkdwn(text) })),
  ];
}

/**
 * The buttons of a moment waiting on the viewer: those of their review DM (reviewerButtons; it waits on them, so
 * Approve is there, the flagger's own moment included where their approval counts, or it would not wait on them).
 * The value carries the tier shown, so a press once the moment escalated acts on nothing it did not show.
 */
function waitingButtons(m: MomentSummary, escalateTo: readonly string[] | undefined): types.Button[] {
  return reviewerButtons(buttonValueFor(m), { approve: true, escalateTo });
}

/**
 * Whole lines in sections of up to 3,000 characters, at most `most` of them, and the count of `unlisted` (see
 * fitLines) after the last: the last section says how many of the lines did not fit.
 */
function lineSections(lines: readonly string[], most: number, unlisted: number, orMore: boolean): string[] {
  const more = unlisted > 0 ? [fitLines([], LIMIT.sectionText, undefined, unlisted, orMore, waitingElsewhere(orMore))] : [];
  const packed = packLines([...lines, ...more], LIMIT.sectionText);
  if (packed.length <= most) return packed.map((group) => group.join('\n'));
  const kept = packed.slice(0, most - 1);
  const shown = kept.reduce((n, group) => n + group.length, 0);
  return [...kept.map((group) => group.join('\n')), fitLines(lines.slice(shown), LIMIT.sectionText, undefined, unlisted, orMore, waitingElsewhere(orMore))];
}

/** Lines grouped in order, each group within `max` characters once joined. */
function packLines(lines: readonly string[], max: number): string[][] {
  const groups: string[][] = [];
  let length = 0;
  for (const line of lines) {
    const group = groups.at(-1);
    if (group && length + 1 + line.length <= max) {
      group.push(line);
      length += 1 + line.length;
    } else {
      groups.push([line]);
      length = line.length;
    }
  }
  return groups;
}

function list(moments: readonly MomentSummary[], empty: string): types.KnownBlock {
  if (moments.length === 0) return { type: 'section', text: mrkdwn(`_${empty}_`) };
  return { type: 'section', text: mrkdwn(fitLines(moments.map(line), LIMIT.sectionText)) };
}

/**
 * The flagger's moments, each open one with what its flagger can do from here: Withdraw, Escalate while a later tier
 * can take it, and Revise… while changes are asked. The card may sit in a channel the flagger cannot open (a private crisis room), and on a phone Home is
 * where their moments are.
 */
function flaggedByYou(moments: readonly MomentSummary[], escalateTo: ReadonlyMap<number, readonly string[]>, flagEmoji: string | undefined): types.KnownBlock[] {
  // The emoji named: "the flag emoji" reads as 🚩, which flags nothing.
  const react = flagEmoji === undefined ? 'react with the flag emoji' : `react to a message with :${flagEmoji}:`;
  if (moments.length === 0) return [list(moments, `You have not flagged anything yet: try \`/moment Title: copy\` or ${react}.`)];
  return moments.flatMap((m): types.KnownBlock[] => {
    const section: types.KnownBlock = { type: 'section', text: mrkdwn(line(m)) };
    if (m.status !== 'pending' && m.status !== 'changes_requested') return [section];
    // The tier shown goes with every button, so an Escalate pressed after the moment moved on escalates no further.
    const value = buttonValueFor(m);
    const next = escalateTo.get(m.id);
    const escalate = next === undefined ? [] : [escalateButton(value, next)];
    const buttons = m.status === 'changes_requested' ? [reviseButton(value), withdrawButton(value)] : [...escalate, withdrawButton(value)];
    return [section, { type: 'actions', block_id: `flagged:${m.id}`, elements: buttons }];
  });
}

/** A moment waiting on the viewer: as the other lists show it, and the roles it asks them in. */
function waitingLine(m: MomentSummary, as: readonly string[]): string {
  return as.length === 0 ? line(m) : `${line(m)}  ·  as ${roleNames(as, 'and')}`;
}

function line(m: MomentSummary): string {
  const link = m.card?.permalink ? `<${m.card.permalink}|${titleText(m.title, 120)}>` : boldTitle(m.title, 120);
  // Marked as the card and the review DM mark it: on a phone the Home may be where they decide.
  const urgent = m.urgent ? '🔥 *Urgent* ' : '';
  return `• #${m.id} ${urgent}${link}  (${escapeAndCut(m.topic, 40)}, ${summaryState(m, '{date_short_pretty} {time}')})`;
}
