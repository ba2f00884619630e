import type { FlagRequest } from '../core/flag';
import type { MomentStatus, SourceMessage, Urgency } from '../core/moment';
import type { FlagOutcome } from '../workflow/record-flag';
import type { ReplyTo } from '../workflow/reply-to';
import { flaggedAlreadyText, repeatedFlagText } from './blocks/command-replies';
import type { Services } from './services';

/** Records a flag, reviewers from the directory's current snapshot. */
export function storeFlag(services: Services, request: FlagRequest, replyTo: ReplyTo, requestKey: string): Promise<FlagOutcome> {
  const { directory } = services;
  return services.backend.recordFlag(request, directory.membersByRole(), replyTo, requestKey, directory.unreadRoles());
}

/**
 * A message flagged again (a reaction, the shortcut's form): what to tell the person (where its moment stands and
 * where its card is), and the message the moment was flagged from.
 */
export async function flaggedAlready(services: Services, momentId: number): Promise<{ text: string; source: SourceMessage | undefined }> {
  const { status, permalink, source, refused } = await whereItStands(services, momentId);
  return { text: flaggedAlreadyText(momentId, status, permalink, refused), source };
}

/**
 * The same words flagged again by their flagger while their moment is open: where it stands, and that nobody was asked
 * again. `urgent`: flagged again as Urgent, while the open one is not (how to make it so is said).
 */
export async function flaggedBefore(services: Services, momentId: number, urgent = false): Promise<string> {
  const { status, permalink, refused, urgency } = await whereItStands(services, momentId);
  return repeatedFlagText(momentId, status, permalink, refused, urgent && urgency !== 'high');
}

/** A moment's status, its card's link (or whether Slack refused the card), and the message it was flagged from, read together. */
async function whereItStands(
  services: Services,
  momentId: number,
): Promise<{ status: MomentStatus | undefined; permalink: string | undefined; source: SourceMessage | undefined; refused: boolean; urgency: Urgency | undefined }> {
  const [card, view, refusal] = await Promise.all([services.backend.cardOf(momentId), services.backend.viewOf(momentId), services.backend.cardRefusalOf(momentId)]);
  return { status: view?.moment.state.status, permalink: card?.permalink, source: view?.moment.source, refused: refusal !== undefined, urgency: view?.moment.content.urgency };
}
