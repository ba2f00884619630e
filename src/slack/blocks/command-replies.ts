import type { NotACommand } from '../../core/command-words';
import { assertNever } from '../../core/events';
import type { MomentStatus } from '../../core/moment';
import type { Routing } from '../../core/routing-types';
import type { TeamStats, TopicStats } from '../../core/stats';
import type { MomentSummary, OpenMoments } from '../../store/moments';
import { dateToken, escapeAndCut, titleText } from './mrkdwn';

/** What `/moment list` covers, said in its answer and in help so nobody takes it for every open moment. */
const LIST_SCOPE = 'reviewed in this channel, flagged by you or with you among its reviewers';

export function buildHelpText(routing: Routing, flagEmoji: string): string {
  const topics = routing.topics.map((t) => `\`#${t.name}\``).join(' ');
  return [
    '*Greenlight* gets a flagged moment decided by the right people, fast.',
    '• `/moment Title: the copy you want to post #topic` flags a moment (topic optional: keywords pick one, else `default`).',
    '• `/moment` alone opens a form (title, copy, link, topic, urgency).',
    `• React with :${flagEmoji}: on a message in a channel Greenlight is in, or use the *Flag moment* message shortcut anywhere.`,
    `• \`/moment list\` shows the open moments ${LIST_SCOPE}; \`/moment stats\` how fast the team decides.`,
    // The flagger's DMs carry no Withdraw: the card (maybe in a channel they cannot open) and the Home do.
    "• Greenlight's *Home* tab (under Apps) lists your moments and what waits for you: withdraw or decide from there.",
    `Topics: ${topics}`,
  ].join('\n');
}

/** The answer to a lone word taken for a command (see readCommandWords): nothing flagged, and where that is done. */
export function notACommandAnswer(word: NotACommand): string {
  const flag = 'To flag a moment, write `/moment Title: the copy` (`/moment help` says more).';
  switch (word) {
    case 'withdraw':
      return `Nothing was flagged. To withdraw a moment, press *Withdraw* on its card or in Greenlight's *Home* tab (under Apps). ${flag}`;
    case 'status':
      return `Nothing was flagged. \`/moment list\` shows your open moments, and Greenlight's *Home* tab (under Apps) how each stands. ${flag}`;
    case 'test':
      return `Greenlight is here. Nothing was flagged: a one-word flag would ping every reviewer of the topic. ${flag}`;
    default:
      return assertNever(word);
  }
}

export function buildListText({ newest, total }: OpenMoments): string {
  if (newest.length === 0) return `Nothing ${LIST_SCOPE} is open. 🎉`;
  const lines = newest.map((m) => {
    const title = titleText(m.title, 120);
    const link = m.card?.permalink ? `<${m.card.permalink}|${title}>` : title;
    return `• #${m.id} ${link} (${escapeAndCut(m.topic, 40)}, ${summaryState(m, '{date_short_pretty} at {time}')})`;
  });
  const count = total > newest.length ? `newest ${newest.length} of ${total}` : `${newest.length}`;
  // Open, not "waiting for a decision": a moment sent back for changes waits for its flagger.
  return `*Open moments* (${count}), ${LIST_SCOPE}:\n${lines.join('\n')}`;
}

/** Where a listed moment stands, as the list and the Home say it: whose move, by when, and an escalation. */
export function summaryState(m: MomentSummary, dueFormat: string): string {
  const due = dateToken(m.dueAt, dueFormat);
  switch (m.status) {
    case 'pending':
      return m.tier > 0 ? `escalated, due ${due}` : `due ${due}`;
    case 'changes_requested':
      return `changes requested, revision due ${due}`;
    default:
      return m.status;
  }
}

/** A topic's median time to a decision; with none decided, whether some still wait or all ended undecided (expired, withdrawn). */
function medianWords(t: TopicStats): string {
  if (t.medianDecisionMs !== undefined) return formatDuration(t.medianDecisionMs);
  return t.open > 0 ? 'no decision yet' : 'none decided';
}

export function buildStatsText(stats: TeamStats, days: number): string {
  const s = stats.byStatus;
  const total = Object.values(s).reduce((a, b) => a + b, 0);
  if (total === 0) return `No moments flagged in the last ${days} days.`;
  const lines = [
    `*Last ${days} days*: ${total} flagged, ${s.approved} approved, ${s.rejected} rejected, ${s.expired} expired, ${s.withdrawn} withdrawn, ${s.pending + s.changes_requested} open.`,
    '*Median time to a decision, by topic* (time spent revising left out)',
    ...stats.topics.map((t) => `• ${escapeAndCut(t.topic, 40)}: ${medianWords(t)} (${t.decided} of ${t.flagged} decided)`),
  ];
  return lines.join('\n');
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/**
 * A message flagged again (a reaction, the shortcut's form): under review, or how its review ended, and where its card
 * is. Only a withdrawal or an expiry frees the message (nobody decided it), so one approved or rejected keeps its verdict.
 */
export function flaggedAlreadyText(momentId: number, status: MomentStatus | undefined, cardPermalink: string | undefined, cardRefused = false): string {
  const where = cardPermalink ?? (cardRefused ? 'its card could not be posted, so its reviewers decide from the DMs they were sent' : 'its card is on its way');
  if (status === undefined || status === 'pending' || status === 'changes_requested') return `This message is already under review as moment #${momentId}: ${where}`;
  // Only an expiry after a request for changes holds its message (see momentHoldingSource).
  if (status === 'expired') {
    return `Reviewers asked for this message's words to change, as moment #${momentId}, which then expired: flag the revised words with \`/moment\` instead. ${where}`;
  }
  return `This message was reviewed already, as moment #${momentId}, which was ${status}: ${where}`;
}

/**
 * The same words flagged again by the same person while their moment is open (see recordFlag). Plain text: it is also a
 * form's error. The link comes last, where no full stop can run into it.
 */
export function repeatedFlagText(momentId: number, status: MomentStatus | undefined, cardPermalink: string | undefined, cardRefused = false, askedUrgent = false): string {
  const stands =
    status === undefined || status === 'pending'
      ? `moment #${momentId} is still under review`
      : status === 'changes_requested'
        ? `moment #${momentId} is waiting for your revision`
        : `moment #${momentId} was ${status} just now`;
  const where =
    cardPermalink !== undefined ? `Its card: ${cardPermalink}` : cardRefused ? 'Its card could not be posted: its reviewers decide from their DMs.' : 'Its card is on its way.';
  // Flagged again as Urgent: the same words cannot be a second moment, and the open one keeps its urgency.
  const urgent = askedUrgent ? " To make it urgent, withdraw it (Greenlight's Home tab) and flag it again as Urgent." : '';
  return `You flagged this already: ${stands}, and nobody was asked again. Change the words or the topic to flag something new.${urgent} ${where}`;
}
