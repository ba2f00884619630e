import type { types } from '@slack/bolt';
import type { TeamStats } from '../../core/stats';
import type { MomentSummary } from '../../store/moments';
import { LIMIT } from '../ids';
import { buildStatsText } from './command-replies';
import { boldTitle, dateToken, escapeAndCut, fitLines, mrkdwn } from './mrkdwn';

/** The team's numbers as the Home shows them: the same reading and wording as `/moment stats`. */
export interface HomeStats {
  readonly stats: TeamStats;
  readonly days: number;
}

/** App Home: what waits for this person's decision, what they flagged lately, and how fast the team decides. */
export function buildHome(waiting: readonly MomentSummary[], flagged: readonly MomentSummary[], team: HomeStats): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Waiting for you' } },
      list(waiting, 'Nothing needs your decision right now.'),
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Flagged by you' } },
      list(flagged, 'You have not flagged anything yet: try `/moment Title: copy` or react with the flag emoji.'),
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Team stats' } },
      // One line per topic: a routing file with many topics is cut at whole lines, never mid-line.
      { type: 'section', text: mrkdwn(fitLines(buildStatsText(team.stats, team.days).split('\n'), LIMIT.sectionText)) },
    ],
  };
}

function list(moments: readonly MomentSummary[], empty: string): types.KnownBlock {
  if (moments.length === 0) return { type: 'section', text: mrkdwn(`_${empty}_`) };
  const lines = moments.map((m) => {
    const link = m.card?.permalink ? `<${m.card.permalink}|${escapeAndCut(m.title, 120)}>` : boldTitle(m.title, 120);
    const state = m.status === 'pending' ? `due ${dateToken(m.dueAt, '{date_short_pretty} {time}')}` : m.status.replace('_', ' ');
    return `• #${m.id} ${link}  (${escapeAndCut(m.topic, 40)}, ${state})`;
  });
  return { type: 'section', text: mrkdwn(fitLines(lines, LIMIT.sectionText)) };
}
