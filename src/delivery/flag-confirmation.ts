import { assertNever } from '../core/events';
import type { MomentView } from '../core/moment';
import { boldTitle, escapeAndCut } from '../slack/blocks/mrkdwn';

/**
 * What the flagger is told once their moment's card went out (with its link when Slack gave one, and where the
 * moment stands by then), or that Slack refused the card, with what can be done about it.
 */
export function flagConfirmation(view: MomentView, cardPosted: boolean, permalink: string | undefined, cardRefused: string | undefined): string {
  const { moment } = view;
  if (!cardPosted) {
    // With no card, the Home is the one place the flagger can withdraw it.
    return `⚠️ I could not post the card for ${boldTitle(moment.content.title, 200)} in <#${moment.reviewChannel}>, so its reviewers decide from the DMs they were sent (flagging this one again would ask them twice). ${cardRefusalAdvice(cardRefused)} To withdraw it, use Greenlight's Home tab.`;
  }
  // The topic named, so a mistyped #topic that fell back to another shows at once.
  const flaggedAs = `⚡ Flagged ${boldTitle(moment.content.title, 200)} for review as *${escapeAndCut(moment.topic, 60)}*.`;
  return `${flaggedAs} ${permalink ? `<${permalink}|See the card>` : 'Its card is'} in <#${moment.reviewChannel}>; ${standingSinceFlag(view)}.`;
}

/** What the flagger can do about a card Slack refused, by Slack's reason: inviting Greenlight fixes only some. */
function cardRefusalAdvice(error: string | undefined): string {
  if (error === 'not_in_channel' || error === 'channel_not_found') return 'Invite me there with `/invite @Greenlight` for the next ones.';
  if (error === 'is_archived') return 'The channel is archived: whoever runs Greenlight can unarchive it, or name another review channel.';
  if (error?.startsWith('restricted_action')) {
    return 'The channel does not let me post (its posting permissions, or a workspace policy): whoever runs Greenlight can change that, or name another review channel.';
  }
  return 'Whoever runs Greenlight can see why in its log.';
}
/**
 * Where a moment stands, for its flag's confirmation. The confirmation waits for the card, the card for its channel's
 * pace; the reviewers' DMs do not, so a reviewer may have decided by then, and the flagger heard it.
 */
function standingSinceFlag(view: MomentView): string {
  const state = view.moment.state;
  // Withdraw is on the card, which may sit in a channel the flagger cannot open, and in the Home, which they always can.
  if (state.status === 'pending') return "reviewers have been pinged. To withdraw it, use the card or Greenlight's Home tab";
  const by = state.by === undefined ? '' : `, by <@${state.by}>`;
  switch (state.status) {
    case 'changes_requested':
      return `changes have been requested since${by}`;
    case 'approved':
    case 'rejected':
    case 'expired':
      return `it has been ${state.status} since${by}`;
    case 'withdrawn':
      return 'you have withdrawn it since';
    default:
      return assertNever(state);
  }
}

