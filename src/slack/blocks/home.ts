import type { types } from '@slack/bolt';
import type { TeamStats } from '../../core/stats';
import type { MomentSummary } from '../../store/moments';
import type { HomeContents } from '../../workflow/home-contents';
import { encodeButtonValue, LIMIT } from '../ids';
import { buildStatsText, summaryState } from './command-replies';
import { boldTitle, escapeAndCut, fitLines, mrkdwn, roleNames, titleText } from './mrkdwn';
import { escalateButton, reviseButton, withdrawButton } from './moment-parts';

/** The team's numbers as the Home shows them: the same reading and wording as `/moment stats`. */
export interface HomeStats {
  readonly stats: TeamStats;
  readonly days: number;
}

/** App Home: what waits for this person's decision, what they flagged lately, and how fast the team decides. */
export function buildHome(contents: HomeContents, team: HomeStats): types.HomeView {
  const waiting =
    contents.waiting.length === 0
      ? list([], 'Nothing needs your decision right now.')
      : {
          type: 'section' as const,
          text: mrkdwn(fitLines(contents.waiting.map((m) => waitingLine(m, contents.waitingAs.get(m.id) ?? [])), LIMIT.sectionText, undefined, contents.waitingUnlisted, contents.waitingOrMore)),
        };
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Waiting for you' } },
      waiting,
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Flagged by you' } },
      ...flaggedByYou(contents.flagged, contents.escalateTo),
      ...(contents.openFlaggedUnlisted > 0
        ? [{ type: 'context' as const, elements: [mrkdwn('… and older ones of yours still open, beyond these.')] }]
        : []),
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Team stats' } },
      // One line per topic: a routing file with many topics is cut at whole lines, never mid-line.
      { type: 'section', text: mrkdwn(fitLines(buildStatsText(team.stats, team.days).split('\n'), LIMIT.sectionText)) },
    ],
  };
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
function flaggedByYou(moments: readonly MomentSummary[], escalateTo: ReadonlyMap<number, readonly string[]>): types.KnownBlock[] {
  if (moments.length === 0) return [list(moments, 'You have not flagged anything yet: try `/moment Title: copy` or react with the flag emoji.')];
  return moments.flatMap((m): types.KnownBlock[] => {
    const section: types.KnownBlock = { type: 'section', text: mrkdwn(line(m)) };
    if (m.status !== 'pending' && m.status !== 'changes_requested') return [section];
    const value = encodeButtonValue({ momentId: m.id, revision: m.revision });
    const next = escalateTo.get(m.id);
    // Escalate carries the tier shown, so a press after the moment moved on escalates no further.
    const escalate = next === undefined ? [] : [escalateButton(encodeButtonValue({ momentId: m.id, revision: m.revision, tier: m.tier }), next)];
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
  return `• #${m.id} ${link}  (${escapeAndCut(m.topic, 40)}, ${summaryState(m, '{date_short_pretty} {time}')})`;
}
