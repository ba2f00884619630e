import type { Command } from '../core/decide';
import type { FlagRequest } from '../core/flag';
import type { FlagOutcome } from '../workflow/record-flag';
import type { ReplyTo } from '../workflow/reply-to';
import type { CommandOutcome } from '../workflow/run-command';
import type { Services } from './services';

/** Records a flag, reviewers from the directory's current snapshot. */
export function storeFlag(services: Services, request: FlagRequest, replyTo: ReplyTo, requestKey: string): Promise<FlagOutcome> {
  return services.backend.recordFlag(request, services.directory.membersByRole(), replyTo, requestKey);
}

/** Runs a person's command on a moment. */
export function storeCommand(services: Services, momentId: number, command: Command, replyTo: ReplyTo, requestKey: string): Promise<CommandOutcome> {
  return services.backend.runCommand(momentId, command, replyTo, requestKey);
}
