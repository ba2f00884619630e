import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { VIEW } from '../ids';
import { oneOf } from '../listener-pattern';
import type { Services } from '../services';
import { handleFlagSubmission } from './flag-submission';
import { handleDecisionSubmission } from './decision-submission';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** One listener for Greenlight's modals, dispatching by callback_id (see registerActions for why). */
export function registerViews(app: App, services: Services): void {
  const handlers: Readonly<Record<string, (args: ViewArgs) => Promise<void>>> = {
    [VIEW.reject]: handleDecisionSubmission(services, 'reject'),
    [VIEW.requestChanges]: handleDecisionSubmission(services, 'request_changes'),
    [VIEW.revise]: handleDecisionSubmission(services, 'revise'),
    [VIEW.flag]: handleFlagSubmission(services),
  };
  app.view<ViewSubmitAction>(oneOf(Object.keys(handlers)), async (args) => {
    const handler = handlers[args.view.callback_id];
    if (handler) await handler(args);
  });
}
