import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION } from '../ids';
import { oneOf } from '../listener-pattern';
import type { Services } from '../services';
import { handleModalButton, handleOnePress } from './decision-buttons';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * One listener for every decision button, dispatching by action_id: Bolt runs every registered listener's
 * middleware on every request, so a listener per button would make each request pay for all of them.
 */
export function registerActions(app: App, services: Services): void {
  const handlers: Readonly<Record<string, (args: ActionArgs) => Promise<void>>> = {
    [ACTION.approve]: handleOnePress(services, 'approve'),
    [ACTION.reject]: handleModalButton(services, 'reject'),
    [ACTION.requestChanges]: handleModalButton(services, 'request_changes'),
    [ACTION.revise]: handleModalButton(services, 'revise'),
    [ACTION.escalate]: handleOnePress(services, 'escalate'),
    [ACTION.withdraw]: handleOnePress(services, 'withdraw'),
  };
  app.action<BlockAction>(oneOf(Object.keys(handlers)), async (args) => {
    const handler = handlers[args.action.action_id];
    if (handler) await handler(args);
  });
}
