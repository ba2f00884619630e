import { LogLevel, type AllMiddlewareArgs, type SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../services';

type SubteamArgs = SlackEventMiddlewareArgs<'subteam_members_changed'> & AllMiddlewareArgs;

/**
 * Someone joined or left a user group: when the routing file names it, those who left are out of it at once, and the
 * reviewers are read again, so a person taken out of legal cannot approve in the minutes before the regular refresh
 * would have noticed, nor in the seconds the read takes. The read is not awaited: Slack's answer does not wait on
 * Slack's own API.
 */
export function handleSubteamMembersChanged(services: Services) {
  return async ({ event }: SubteamArgs): Promise<void> => {
    if (!services.directory.watchesGroup(event.subteam_id)) return;
    services.logger.log(LogLevel.INFO, 'reviewer user group changed, reading reviewers again', { usergroup: event.subteam_id });
    const left = Array.isArray(event.removed_users) ? event.removed_users.filter((id): id is string => typeof id === 'string') : [];
    const removing = services.directory.leftGroup(event.subteam_id, left);
    void services.directory.refresh();
    await removing;
  };
}
