import type { types } from '@slack/bolt';
import type { SourceMessage, Urgency } from '../../core/moment';
import { DEFAULT_TOPIC, type Routing } from '../../core/routing-types';
import { FIELD, VIEW } from '../ids';
import { cutPlain } from './mrkdwn';

/** Where a flag form came from, as its submit reads it. */
export interface FlagOrigin {
  readonly channel: string | undefined;
  readonly source: SourceMessage | undefined;
  /** The message's whole text, when it was longer than the copy field shows. */
  readonly whole?: string;
  /** The copy the form opened with, as its wordsFingerprint: a copy submitted otherwise was edited in the form. */
  readonly copyShown?: string;
}

/**
 * What a flag form carries in private_metadata, which comes back as the person's client sends it: the channel it was
 * opened in and, opened on a message, the key under which Greenlight keeps its origin (the message, its words, the copy
 * shown, who opened it). A form naming the message itself could name any message, and have Greenlight answer in its
 * thread or tell its author "Go post it!" under words nobody reviewed.
 */
export interface FlagFormMetadata {
  readonly channel: string | undefined;
  readonly origin?: string;
}

export interface FlagPrefill {
  readonly title: string | undefined;
  readonly copy: string;
  readonly link: string | undefined;
  /** The topic the message's words choose, read on its text as Slack sent it (see the shortcut). */
  readonly topic: string | undefined;
}

/**
 * The most copy a form submission may carry as typed: Slack's field stops at COPY_FIELD_MAX, and this refuses anything
 * longer than a quick flag takes (a submission not made through that field), all of which a card and its DMs show whole
 * (a message's blocks hold about 10,000 characters of text in all). A longer copy comes only from a flagged message.
 */
export const COPY_MAX = 4_000;
/** Slack's limit for a plain_text_input, so the longest prefill the copy field can show. */
export const COPY_FIELD_MAX = 3000;

/** What the copy field shows of a longer message. */
export function copyPrefill(text: string): string {
  return cutPlain(text, COPY_FIELD_MAX);
}
export const TITLE_MAX = 120;

/** The flag form: title, copy, link, topic, urgency. */
export function buildFlagModal(routing: Routing, metadata: FlagFormMetadata, prefill: FlagPrefill | undefined, longMessage = false): types.ModalView {
  const topicOptions = routing.topics.map((t) => ({ text: { type: 'plain_text' as const, text: cutPlain(t.name, 75) }, value: t.name }));
  // A message's words choose its topic as a reaction's would, shown so the flagger can change it; an empty form
  // leaves it to the title and copy typed.
  const preselected = prefill?.topic === undefined ? undefined : topicOptions.find((o) => o.value === prefill.topic);
  return {
    type: 'modal',
    callback_id: VIEW.flag,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Flag a moment' },
    submit: { type: 'plain_text', text: 'Flag it' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      titleInput(prefill?.title),
      copyInput(prefill?.copy, longMessage ? 'The message is longer than this field shows: the whole message is kept unless you edit it.' : undefined),
      linkInput(prefill?.link),
      {
        type: 'input',
        block_id: FIELD.topic.block,
        optional: true,
        label: { type: 'plain_text', text: 'Topic' },
        hint: { type: 'plain_text', text: `Left empty, the title and copy choose: a #topic or a topic's keywords, else ${DEFAULT_TOPIC}.` },
        element: {
          type: 'static_select',
          action_id: FIELD.topic.input,
          placeholder: { type: 'plain_text', text: 'By its words' },
          options: topicOptions.slice(0, 100),
          ...(preselected ? { initial_option: preselected } : {}),
        },
      },
      urgencyInput('normal'),
    ],
  };
}

/** The title field, empty or holding `initial`. */
export function titleInput(initial: string | undefined): types.InputBlock {
  return {
    type: 'input',
    block_id: FIELD.title.block,
    label: { type: 'plain_text', text: 'Title' },
    element: {
      type: 'plain_text_input',
      action_id: FIELD.title.input,
      max_length: TITLE_MAX,
      placeholder: { type: 'plain_text', text: 'Oreo: dunk in the dark' },
      ...(initial ? { initial_value: cutPlain(initial, TITLE_MAX) } : {}),
    },
  };
}

/** The copy field, holding what of `initial` it can show; `longer`: the hint that says the rest is kept. */
export function copyInput(initial: string | undefined, longer: string | undefined): types.InputBlock {
  return {
    type: 'input',
    block_id: FIELD.copy.block,
    label: { type: 'plain_text', text: 'Copy to post' },
    element: {
      type: 'plain_text_input',
      action_id: FIELD.copy.input,
      multiline: true,
      max_length: COPY_FIELD_MAX,
      ...(initial ? { initial_value: copyPrefill(initial) } : {}),
    },
    ...(longer ? { hint: { type: 'plain_text' as const, text: longer } } : {}),
  };
}

export function linkInput(initial: string | undefined): types.InputBlock {
  return {
    type: 'input',
    block_id: FIELD.link.block,
    optional: true,
    label: { type: 'plain_text', text: 'Link (the trend, the post, the article)' },
    element: { type: 'url_text_input', action_id: FIELD.link.input, ...(initial ? { initial_value: initial } : {}) },
  };
}

export function urgencyInput(initial: Urgency): types.InputBlock {
  const options = [
    { text: { type: 'plain_text' as const, text: 'Normal' }, value: 'normal' },
    { text: { type: 'plain_text' as const, text: 'Urgent 🔥' }, value: 'high' },
  ];
  return {
    type: 'input',
    block_id: FIELD.urgency.block,
    label: { type: 'plain_text', text: 'Urgency' },
    element: { type: 'radio_buttons', action_id: FIELD.urgency.input, options, initial_option: initial === 'high' ? options[1] : options[0] },
  };
}
