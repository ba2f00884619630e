import type { types } from '@slack/bolt';
import type { SourceMessage } from '../../core/moment';
import { DEFAULT_TOPIC, type Routing } from '../../core/routing-types';
import { FIELD, VIEW } from '../ids';
import { cutPlain } from './mrkdwn';

/** Where the flag came from, carried through the modal in private_metadata. */
export interface FlagOrigin {
  readonly channel: string | undefined;
  readonly source: SourceMessage | undefined;
  /** Set when the message was longer than the copy field: its whole text is kept in the store under this key. */
  readonly draft?: string;
}

export interface FlagPrefill {
  readonly copy: string;
  readonly link: string | undefined;
}

export const COPY_MAX = 10_000;
/** Slack's limit for a plain_text_input, so the longest prefill the copy field can show. */
export const COPY_FIELD_MAX = 3000;

/** What the copy field shows of a longer message. */
export function copyPrefill(text: string): string {
  return cutPlain(text, COPY_FIELD_MAX);
}
export const TITLE_MAX = 120;

/** The flag form: title, copy, link, topic, urgency. */
export function buildFlagModal(routing: Routing, origin: FlagOrigin, prefill: FlagPrefill | undefined): types.ModalView {
  const topicOptions = routing.topics.map((t) => ({ text: { type: 'plain_text' as const, text: cutPlain(t.name, 75) }, value: t.name }));
  const defaultTopic = topicOptions.find((o) => o.value === DEFAULT_TOPIC);
  const urgency = [
    { text: { type: 'plain_text' as const, text: 'Normal' }, value: 'normal' },
    { text: { type: 'plain_text' as const, text: 'Urgent 🔥' }, value: 'high' },
  ];
  return {
    type: 'modal',
    callback_id: VIEW.flag,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: 'Flag a moment' },
    submit: { type: 'plain_text', text: 'Flag it' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FIELD.title.block,
        label: { type: 'plain_text', text: 'Title' },
        element: { type: 'plain_text_input', action_id: FIELD.title.input, max_length: TITLE_MAX, placeholder: { type: 'plain_text', text: 'Oreo: dunk in the dark' } },
      },
      {
        type: 'input',
        block_id: FIELD.copy.block,
        label: { type: 'plain_text', text: 'Copy to post' },
        element: {
          type: 'plain_text_input',
          action_id: FIELD.copy.input,
          multiline: true,
          max_length: COPY_FIELD_MAX,
          ...(prefill?.copy ? { initial_value: copyPrefill(prefill.copy) } : {}),
        },
        ...(origin.draft
          ? { hint: { type: 'plain_text' as const, text: 'The message is longer than this field shows: the whole message is kept unless you edit it.' } }
          : {}),
      },
      {
        type: 'input',
        block_id: FIELD.link.block,
        optional: true,
        label: { type: 'plain_text', text: 'Link (the trend, the post, the article)' },
        element: { type: 'url_text_input', action_id: FIELD.link.input, ...(prefill?.link ? { initial_value: prefill.link } : {}) },
      },
      {
        type: 'input',
        block_id: FIELD.topic.block,
        label: { type: 'plain_text', text: 'Topic' },
        element: { type: 'static_select', action_id: FIELD.topic.input, options: topicOptions.slice(0, 100), ...(defaultTopic ? { initial_option: defaultTopic } : {}) },
      },
      {
        type: 'input',
        block_id: FIELD.urgency.block,
        label: { type: 'plain_text', text: 'Urgency' },
        element: { type: 'radio_buttons', action_id: FIELD.urgency.input, options: urgency, initial_option: urgency[0] },
      },
    ],
  };
}
