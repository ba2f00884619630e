import { blocksTooLong, checkBlocks, MESSAGE_BLOCK_LIMIT, MESSAGE_TEXT_LIMIT } from './stand-in-blocks';
import { flag, str } from './stand-in-params';
import type { StandInState } from './stand-in-state';
import type { MessageMetadata, MethodResult, Params, StoredMessage } from './stand-in-types';
import { fail, isRecord, ok } from './stand-in-types';

export type MethodHandler = (params: Params, state: StandInState, now: number) => MethodResult;

/** A stored message as Slack shows it in API answers. */
export function messageJson(state: StandInState, m: StoredMessage, withMetadata: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    type: 'message',
    user: m.user,
    // Only Greenlight's own posts carry its bot id; a person's message (postAs) carries none.
    ...(m.user === state.config.botUserId ? { bot_id: state.config.botId } : {}),
    team: state.config.teamId,
    text: m.text,
    blocks: m.blocks,
    ...(m.attachments !== undefined ? { attachments: m.attachments } : {}),
    ...(m.files !== undefined ? { files: m.files, upload: false } : {}),
    ts: m.ts,
  };
  const replies = m.threadTs === undefined ? state.replyCount(m.channel, m.ts) : 0;
  if (m.broadcast === true) json.subtype = 'thread_broadcast';
  if (m.tombstone === true) json.subtype = 'tombstone';
  if (m.threadTs !== undefined) {
    json.thread_ts = m.threadTs;
    json.parent_user_id = state.findMessage(m.channel, m.threadTs)?.user ?? m.user;
  } else if (replies > 0) {
    json.thread_ts = m.ts;
    json.reply_count = replies;
  }
  if (withMetadata && m.metadata !== undefined) {
    json.metadata = m.metadata;
  }
  return json;
}

type Content = { text: string | undefined; blocks: unknown[] | undefined; attachments: unknown[] | undefined; metadata: MessageMetadata | undefined };

/** Reads text/blocks/metadata and applies Slack's checks; `requireContent` is false for chat.update (keeps old). */
function readContent(params: Params, requireContent: boolean): Content | MethodResult {
  const text = typeof params.text === 'string' ? params.text : str(params, 'text');
  const rawBlocks = params.blocks;
  if (text !== undefined && text.length > MESSAGE_TEXT_LIMIT) {
    return fail('msg_too_long');
  }
  if (rawBlocks !== undefined) {
    const errors = checkBlocks(rawBlocks, MESSAGE_BLOCK_LIMIT);
    if (errors.length > 0) {
      return fail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
    }
    if (blocksTooLong(rawBlocks)) return fail('msg_blocks_too_long');
  }
  const blocks = Array.isArray(rawBlocks) ? rawBlocks : undefined;
  // Legacy attachments (an app's post) are kept as sent: a message may hold nothing else.
  const attachments = Array.isArray(params.attachments) ? params.attachments : undefined;
  const hasText = text !== undefined && text.length > 0;
  const hasBlocks = blocks !== undefined && blocks.length > 0;
  const hasAttachments = attachments !== undefined && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments && (requireContent || (text === undefined && blocks === undefined))) {
    return fail('no_text');
  }
  let metadata: MessageMetadata | undefined;
  if (params.metadata !== undefined) {
    const m = params.metadata;
    if (!isRecord(m) || typeof m.event_type !== 'string' || m.event_type.length === 0 || !isRecord(m.event_payload)) {
      return fail('invalid_metadata_format');
    }
    metadata = { event_type: m.event_type, event_payload: m.event_payload };
  }
  return { text, blocks, attachments, metadata };
}

const isResult = (value: Content | MethodResult): value is MethodResult => 'status' in value;

const postMessage: MethodHandler = (params, state, now) => {
  const requested = str(params, 'channel');
  const channel = requested === undefined ? undefined : state.resolveChannel(requested);
  const problem =
    requested !== undefined && state.config.missing.has(requested)
      ? 'channel_not_found'
      : state.channelProblem(channel, { write: true });
  if (problem !== undefined || channel === undefined) {
    return fail(problem ?? 'channel_not_found');
  }
  const content = readContent(params, true);
  if (isResult(content)) {
    return content;
  }
  let threadTs = str(params, 'thread_ts');
  if (threadTs !== undefined) {
    // Slack files a reply to a reply under the thread's parent.
    threadTs = state.findMessage(channel, threadTs)?.threadTs ?? threadTs;
  }
  const message: StoredMessage = {
    channel,
    ts: state.nextTs(now),
    user: state.config.botUserId,
    text: content.text ?? '',
    blocks: content.blocks ?? [],
    ...(content.attachments !== undefined ? { attachments: content.attachments } : {}),
    updates: 0,
  };
  if (threadTs !== undefined) {
    message.threadTs = threadTs;
    if (flag(params, 'reply_broadcast')) message.broadcast = true;
  }
  if (content.metadata !== undefined) {
    message.metadata = content.metadata;
  }
  state.messages.push(message);
  return ok({ channel, ts: message.ts, message: messageJson(state, message, true) });
};

/** The message chat.update or chat.delete names, in a channel the bot may write in; a deleted one is not found. */
function messageToChange(params: Params, state: StandInState): { channel: string; message: StoredMessage } | MethodResult {
  const channel = str(params, 'channel');
  const problem = state.channelProblem(channel, { write: true });
  if (problem !== undefined || channel === undefined) {
    return fail(problem ?? 'channel_not_found');
  }
  const ts = str(params, 'ts');
  const message = ts === undefined ? undefined : state.findMessage(channel, ts);
  if (message === undefined || message.tombstone === true) {
    return fail('message_not_found');
  }
  return { channel, message };
}

const update: MethodHandler = (params, state) => {
  const found = messageToChange(params, state);
  if ('status' in found) {
    return found;
  }
  const { channel, message } = found;
  const content = readContent(params, false);
  if (isResult(content)) {
    return content;
  }
  // Like Slack: fields left out keep their old value; an empty blocks array removes the blocks.
  if (content.text !== undefined) {
    message.text = content.text;
  }
  if (content.blocks !== undefined) {
    message.blocks = content.blocks;
  }
  if (content.metadata !== undefined) {
    message.metadata = content.metadata;
  }
  message.updates += 1;
  return ok({ channel, ts: message.ts, text: message.text, message: messageJson(state, message, true) });
};

/** Like Slack: a message with replies stays as a tombstone, so its thread does; any other goes. */
const deleteMessage: MethodHandler = (params, state) => {
  const found = messageToChange(params, state);
  if ('status' in found) {
    return found;
  }
  const { channel, message } = found;
  if (message.threadTs === undefined && state.replyCount(channel, message.ts) > 0) {
    Object.assign(message, { text: 'This message was deleted.', blocks: [], attachments: undefined, tombstone: true });
  } else {
    state.messages.splice(state.messages.indexOf(message), 1);
  }
  return ok({ channel, ts: message.ts });
};

const postEphemeral: MethodHandler = (params, state, now) => {
  const requested = str(params, 'channel');
  const channel = requested === undefined ? undefined : state.resolveChannel(requested);
  const problem = state.channelProblem(channel, { write: true });
  if (problem !== undefined || channel === undefined) {
    return fail(problem ?? 'channel_not_found');
  }
  const user = str(params, 'user');
  if (user === undefined) {
    return fail('user_not_found');
  }
  const content = readContent(params, true);
  if (isResult(content)) {
    return content;
  }
  const messageTs = state.nextTs(now);
  state.ephemerals.push({ channel, user, text: content.text ?? '', blocks: content.blocks ?? [], messageTs, at: now });
  return ok({ message_ts: messageTs });
};

const getPermalink: MethodHandler = (params, state) => {
  const channel = str(params, 'channel');
  const problem = state.channelProblem(channel, { write: false });
  if (problem !== undefined || channel === undefined) {
    return fail(problem ?? 'channel_not_found');
  }
  const ts = str(params, 'message_ts');
  const message = ts === undefined ? undefined : state.findMessage(channel, ts);
  if (message === undefined) {
    return fail('message_not_found');
  }
  const base = `https://${state.config.teamDomain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
  const permalink =
    message.threadTs === undefined ? base : `${base}?thread_ts=${message.threadTs}&cid=${channel}`;
  return ok({ channel, permalink });
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
