import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { oneOf } from '../listener-pattern';
import type { Services } from '../services';
import { handleAppHomeOpened } from './app-home-opened';
import { handleReactionAdded } from './reaction-added';
import { handleSubteamMembersChanged } from './subteam-members-changed';

type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

/** One listener for the events Greenlight subscribes to, dispatching by type (see registerActions for why). */
export function registerEvents(app: App, services: Services): void {
  const reactionAdded = handleReactionAdded(services);
  const appHomeOpened = handleAppHomeOpened(services);
  const subteamMembersChanged = handleSubteamMembersChanged(services);
  app.event(oneOf(['reaction_added', 'app_home_opened', 'subteam_members_changed']), async (args: EventArgs<string>) => {
    // Bolt types a pattern's event loosely; the type just checked is what narrows it.
    if (args.event.type === 'reaction_added') await reactionAdded(args as EventArgs<'reaction_added'>);
    else if (args.event.type === 'app_home_opened') await appHomeOpened(args as EventArgs<'app_home_opened'>);
    else if (args.event.type === 'subteam_members_changed') await subteamMembersChanged(args as EventArgs<'subteam_members_changed'>);
  });
}
