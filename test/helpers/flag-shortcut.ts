import { FIELD, SHORTCUT } from '../../src/slack/ids';
import { PEOPLE, type Harness } from './harness';
import { nextId, signed, TEAM, type SignedRequest, type ViewValues } from './slack-requests';

/** The message a "Flag moment" shortcut is used on, as its payload carries it. */
export interface ShortcutMessage {
  readonly ts: string;
  readonly text: string;
  /** Where it is: #general unless said. */
  readonly channel?: string;
  readonly threadTs?: string;
  readonly attachments?: unknown[];
  /** Files shared with it (an image post), as Slack lists them. */
  readonly files?: unknown[];
}

/** A signed message_action payload for the flag_moment shortcut, as Slack sends it (its answers kept under `shortcut-<user>`). */
export function flagShortcutRequest(
  h: Harness,
  userId: string,
  message: ShortcutMessage,
  options: { readonly triggerId?: string; readonly author?: { user: string; bot_id?: string } } = {},
): SignedRequest {
  const payload = {
    type: 'message_action',
    callback_id: SHORTCUT.flagMessage,
    trigger_id: options.triggerId ?? nextId('trigger.'),
    action_ts: (Date.now() / 1000).toFixed(6),
    message_ts: message.ts,
    team: TEAM,
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM.id },
    channel: { id: message.channel ?? 'C0GENERAL', name: 'general' },
    message: {
      type: 'message',
      ...(options.author ?? { user: PEOPLE.ana }),
      ts: message.ts,
      text: message.text,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.files ? { files: message.files, upload: false } : {}),
    },
    response_url: h.standIn.responseUrl(`shortcut-${userId}`),
  };
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
}

/** A flag form's values as a person fills it in: a title and a copy, no link, `topic` (default), normal urgency. */
export function flagFormValues(title: string, copy: string, topic = 'default'): ViewValues {
  return {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: title } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: copy } },
    [FIELD.link.block]: { [FIELD.link.input]: { type: 'url_text_input', value: null } },
    [FIELD.topic.block]: { [FIELD.topic.input]: { type: 'static_select', selected_option: { value: topic } } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
}
