import type { FlagRequest } from '../core/flag';
import type { FlagOutcome } from '../workflow/record-flag';
import type { ReplyTo } from '../workflow/reply-to';
import type { Services } from './services';

/** Records a flag, reviewers from the directory's current snapshot. */
export function storeFlag(services: Services, request: FlagRequest, replyTo: ReplyTo, requestKey: string): Promise<FlagOutcome> {
  const { directory } = services;
  return services.backend.recordFlag(request, directory.membersByRole(), replyTo, requestKey, directory.unreadRoles());
}

