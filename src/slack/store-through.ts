import type { Command } from '../core/decide';
import type { FlagRequest } from '../core/flag';
import { recordFlag, type FlagOutcome } from '../workflow/record-flag';
import type { ReplyTo } from '../workflow/reply-to';
import { runCommand, type CommandOutcome } from '../workflow/run-command';
import type { Services } from './services';

/** Records a flag in the next group commit, reviewers from the directory's current snapshot. */
export function storeFlag(services: Services, request: FlagRequest, replyTo: ReplyTo, requestKey: string): Promise<FlagOutcome> {
  const { store, directory, clock } = services;
  return store.batched(() => recordFlag(store, request, (role) => directory.membersOf(role), replyTo, requestKey, clock()));
}

/** Runs a person's command on a moment in the next group commit. */
export function storeCommand(services: Services, momentId: number, command: Command, replyTo: ReplyTo, requestKey: string): Promise<CommandOutcome> {
  const { store, clock } = services;
  return store.batched(() => runCommand(store, momentId, command, replyTo, requestKey, clock()));
}
