import { chatMethods, type MethodHandler } from './stand-in-chat';
import { conversationMethods } from './stand-in-conversations';
import { str } from './stand-in-params';
import type { StandInState } from './stand-in-state';
import type { StandInUser } from './stand-in-types';
import { fail, ok } from './stand-in-types';
import { viewMethods } from './stand-in-views';

/** A user object shaped like Slack's users.info answer. */
export function userJson(state: StandInState, user: StandInUser, isBot = false): Record<string, unknown> {
  const realName = user.realName ?? user.name;
  return {
    id: user.id,
    team_id: user.teamId ?? state.config.teamId,
    name: user.name,
    deleted: user.deleted === true,
    color: '9f69e7',
    real_name: realName,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: user.name,
      display_name_normalized: user.name,
      ...(user.email === undefined ? {} : { email: user.email }),
      team: user.teamId ?? state.config.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_bot: isBot,
    is_restricted: user.isRestricted === true || user.isUltraRestricted === true,
    is_ultra_restricted: user.isUltraRestricted === true,
    is_app_user: false,
    updated: 1_700_000_000,
  };
}

const authTest: MethodHandler = (_params, state) =>
  ok({
    url: `https://${state.config.teamDomain}.slack.com/`,
    team: 'Greenlight Sandbox',
    user: 'greenlight',
    team_id: state.config.teamId,
    user_id: state.config.botUserId,
    bot_id: state.config.botId,
    is_enterprise_install: false,
  });

const usersInfo: MethodHandler = (params, state) => {
  const id = str(params, 'user');
  if (id === state.config.botUserId) {
    return ok({ user: userJson(state, { id, name: 'greenlight', realName: 'Greenlight' }, true) });
  }
  const user = id === undefined ? undefined : state.users.get(id);
  return user === undefined ? fail('user_not_found') : ok({ user: userJson(state, user, user.isBot === true) });
};

const lookupByEmail: MethodHandler = (params, state) => {
  const email = str(params, 'email')?.toLowerCase();
  const user = [...state.users.values()].find((u) => u.email !== undefined && u.email.toLowerCase() === email);
  return user === undefined ? fail('users_not_found') : ok({ user: userJson(state, user) });
};

const usergroupUsers: MethodHandler = (params, state) => {
  const id = str(params, 'usergroup');
  const members = id === undefined ? undefined : state.usergroups.get(id);
  return members === undefined ? fail('no_such_subteam') : ok({ users: [...members] });
};

/** Every Web API method the stand-in answers; anything else is unknown_method. */
export const methods: ReadonlyMap<string, MethodHandler> = new Map(
  Object.entries({
    'auth.test': authTest,
    ...chatMethods,
    ...conversationMethods,
    ...viewMethods,
    'users.info': usersInfo,
    'users.lookupByEmail': lookupByEmail,
    'usergroups.users.list': usergroupUsers,
  }),
);
