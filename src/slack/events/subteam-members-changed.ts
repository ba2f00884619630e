import { LogLevel, type AllMiddlewareArgs, type SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../services';

type SubteamArgs = SlackEventMiddlewareArgs<'subteam_members_changed'> & AllMiddlewareArgs;

/**
 * Someone joined or left a user group: when the routing file names it, the reviewers are read again at once, so
 * a person taken out of legal cannot approve in the minutes before the regular refresh would have noticed.
 * The event is not awaited: Slack's answer does not wait on Slack's own API.
 */
export function handleSubteamMembersChanged(services: Services) {
  return async ({ event }: SubteamArgs): Promise<void> => {
    if (!services.directory.watchesGroup(event.subteam_id)) return;
    services.logger.log(LogLevel.INFO, 'reviewer user group changed, reading reviewers again', { usergroup: event.subteam_id });
    void services.directory.refresh();
  };
}
