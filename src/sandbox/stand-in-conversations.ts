import { messageJson, type MethodHandler } from './stand-in-chat';
import { flag, int, str } from './stand-in-params';
import { isUserId } from './stand-in-state';
import type { Params, StoredMessage } from './stand-in-types';
import { fail, ok } from './stand-in-types';

/** Orders Slack ts strings exactly (as floats they lose the last digits). */
export function compareTs(a: string, b: string): number {
  const [aSec = '0', aFrac = ''] = a.split('.');
  const [bSec = '0', bFrac = ''] = b.split('.');
  const bySec = Number(aSec) - Number(bSec);
  if (bySec !== 0) {
    return Math.sign(bySec);
  }
  const aF = aFrac.padEnd(6, '0');
  const bF = bFrac.padEnd(6, '0');
  return aF < bF ? -1 : aF > bF ? 1 : 0;
}

const encodeCursor = (ts: string): string => Buffer.from(`next_ts:${ts}`).toString('base64');

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return text.startsWith('next_ts:') ? text.slice('next_ts:'.length) : undefined;
}

const open: MethodHandler = (params, state) => {
  const reopened = str(params, 'channel');
  if (reopened !== undefined) {
    const problem = state.channelProblem(reopened, { write: false });
    return problem === undefined ? ok({ channel: { id: reopened } }) : fail(problem);
  }
  const users = (str(params, 'users') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  if (users.length === 0) {
    return fail('users_list_not_supplied');
  }
  if (users.length > 8) {
    return fail('too_many_users');
  }
  const unknown = users.find((u) => !isUserId(u));
  if (unknown !== undefined) {
    return fail('user_not_found');
  }
  // As Slack: a bot user cannot be DMed by another app's bot (cannot_dm_bot).
  if (users.length === 1 && state.users.get(users[0] ?? '')?.isBot === true) return fail('cannot_dm_bot');
  const first = users[0] ?? '';
  // One user: the bot's DM; several: a group DM whose id is stable for that set of people.
  const id = users.length === 1 ? state.dmChannelFor(first) : `G${[...users].sort().join('')}`;
  return ok({ channel: { id } });
};

const history: MethodHandler = (params, state) => {
  const channel = str(params, 'channel');
  const problem = state.channelProblem(channel, { write: false });
  if (problem !== undefined || channel === undefined) {
    return fail(problem ?? 'channel_not_found');
  }
  const limit = Math.min(Math.max(int(params, 'limit') ?? 100, 1), 999);
  const withMetadata = flag(params, 'include_all_metadata');
  const within = window(params);
  const from = decodeCursor(str(params, 'cursor'));
  // Like Slack, history shows top-level messages and replies also sent to the channel; the rest are in conversations.replies.
  const matching = state.messages
    .filter((m) => m.channel === channel && (m.threadTs === undefined || m.broadcast === true) && within(m))
    .filter((m) => from === undefined || compareTs(m.ts, from) <= 0)
    .sort((a, b) => compareTs(b.ts, a.ts));
  const page = matching.slice(0, limit);
  const next = matching[limit];
  return ok({
    messages: page.map((m) => messageJson(state, m, withMetadata)),
    has_more: next !== undefined,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: next === undefined ? '' : encodeCursor(next.ts) },
  });
};

const replies: MethodHandler = (params, state) => {
  const channel = str(params, 'channel');
  const problem = state.channelProblem(channel, { write: false });
  if (problem !== undefined || channel === undefined) {
    return fail(problem ?? 'channel_not_found');
  }
  const ts = str(params, 'ts');
  const found = ts === undefined ? undefined : state.findMessage(channel, ts);
  if (found === undefined) {
    return fail('thread_not_found');
  }
  const parentTs = found.threadTs ?? found.ts;
  const parent = state.findMessage(channel, parentTs) ?? found;
  const withMetadata = flag(params, 'include_all_metadata');
  const within = window(params);
  const limit = Math.min(Math.max(int(params, 'limit') ?? 1000, 1), 1000);
  const from = decodeCursor(str(params, 'cursor'));
  // Oldest first, within oldest/latest, a page of `limit` at a time; like Slack, every page starts with the thread's
  // parent, whatever the window says.
  const matching = state.messages
    .filter((m) => m.channel === channel && m.threadTs === parentTs && m.ts !== parentTs && within(m))
    .filter((m) => from === undefined || compareTs(m.ts, from) >= 0)
    .sort((a, b) => compareTs(a.ts, b.ts));
  const page = matching.slice(0, limit);
  const next = matching[limit];
  return ok({
    messages: [parent, ...page].map((m) => messageJson(state, m, withMetadata)),
    has_more: next !== undefined,
    response_metadata: { next_cursor: next === undefined ? '' : encodeCursor(next.ts) },
  });
};

/** `oldest` and `latest` (exclusive unless `inclusive`), as history and replies read them. */
function window(params: Params): (m: StoredMessage) => boolean {
  const oldest = str(params, 'oldest') ?? '0';
  const latest = str(params, 'latest');
  const inclusive = flag(params, 'inclusive');
  return (m) => {
    const sinceOldest = compareTs(m.ts, oldest);
    const untilLatest = latest === undefined ? -1 : compareTs(m.ts, latest);
    return (inclusive ? sinceOldest >= 0 : sinceOldest > 0) && (inclusive ? untilLatest <= 0 : untilLatest < 0);
  };
}

export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.open': open,
  'conversations.history': history,
  'conversations.replies': replies,
};
