import type { FlagRequest } from '../core/flag';
import type { SourceMessage } from '../core/moment';
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
  const [card, view] = await Promise.all([services.backend.cardOf(momentId), services.backend.viewOf(momentId)]);
  return { text: flaggedAlreadyText(momentId, view?.moment.state.status, card?.permalink), source: view?.moment.source };
}

/** The same words flagged again by their flagger while their moment is open: where it stands, and that nobody was asked again. */
export async function flaggedBefore(services: Services, momentId: number): Promise<string> {
  const [card, view] = await Promise.all([services.backend.cardOf(momentId), services.backend.viewOf(momentId)]);
  return repeatedFlagText(momentId, view?.moment.state.status, card?.permalink);
}
