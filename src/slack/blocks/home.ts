import type { types } from '@slack/bolt';
import type { MomentSummary } from '../../store/moments';
import { LIMIT } from '../ids';
import { dateToken, escapeAndCut, fitLines, mrkdwn } from './mrkdwn';

/** App Home: what waits for this person's decision, and what they flagged lately. */
export function buildHome(waiting: readonly MomentSummary[], flagged: readonly MomentSummary[]): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Waiting for you' } },
      list(waiting, 'Nothing needs your decision right now.'),
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Flagged by you' } },
      list(flagged, 'You have not flagged anything yet: try `/moment Title: copy` or react with the flag emoji.'),
    ],
  };
}

function list(moments: readonly MomentSummary[], empty: string): types.KnownBlock {
  if (moments.length === 0) return { type: 'section', text: mrkdwn(`_${empty}_`) };
  const lines = moments.map((m) => {
    const title = escapeAndCut(m.title, 120);
    const link = m.card?.permalink ? `<${m.card.permalink}|${title}>` : `*${title}*`;
    const state = m.status === 'pending' ? `due ${dateToken(m.dueAt, '{date_short_pretty} {time}')}` : m.status.replace('_', ' ');
    return `• #${m.id} ${link}  (${escapeAndCut(m.topic, 40)}, ${state})`;
  });
  return { type: 'section', text: mrkdwn(fitLines(lines, LIMIT.sectionText)) };
}
