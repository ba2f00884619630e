import type { Routing } from '../../core/routing-types';
import type { MomentSummary } from '../../store/moments';
import { dateToken, escapeAndCut } from './mrkdwn';

export function buildHelpText(routing: Routing, flagEmoji: string): string {
  const topics = routing.topics.map((t) => `\`#${t.name}\``).join(' ');
  return [
    '*Greenlight* gets a flagged moment decided by the right people, fast.',
    '• `/moment Title: the copy you want to post #topic` flags a moment (topic optional: keywords pick one, else `default`).',
    '• `/moment` alone opens a form (title, copy, link, topic, urgency).',
    `• React with :${flagEmoji}: on a message, or use the *Flag moment* message shortcut.`,
    '• `/moment list` shows the moments waiting for a decision.',
    `Topics: ${topics}`,
  ].join('\n');
}

export function buildListText(open: readonly MomentSummary[]): string {
  if (open.length === 0) return 'Nothing is waiting for a decision. 🎉';
  const lines = open.map((m) => {
    const title = escapeAndCut(m.title, 120);
    const link = m.card?.permalink ? `<${m.card.permalink}|${title}>` : title;
    const state = m.status === 'changes_requested' ? 'changes requested' : `due ${dateToken(m.dueAt, '{time}')}`;
    return `• #${m.id} ${link} (${escapeAndCut(m.topic, 40)}, ${state})`;
  });
  return `*Waiting for a decision* (${open.length}):\n${lines.join('\n')}`;
}
