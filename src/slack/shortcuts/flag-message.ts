import { LogLevel, type AllMiddlewareArgs, type MessageShortcut, type SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buildFlagModal, copyPrefill, type FlagFormMetadata, type FlagOrigin } from '../blocks/flag-modal';
import { keepFormOrigin } from '../flag-origin';
import type { Services } from '../services';
import { flaggedAlready } from '../store-through';
import { unsavedAnswer } from '../unsaved-answer';
import { mentionedNames } from '../mention-names';
import { filesOf } from '../message-files';
import { wordsFingerprint, wordsOf, wordsSeen } from '../message-words';
import { firstMarkedLink, plainFromSlack } from '../slack-text';
import { readFlaggedMessage } from '../../core/quick-flag';
import { chooseTopic } from '../../core/routing';
import { within } from '../../within';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * How long the form waits for the message's permalink (the card's link back to the message): Slack's trigger_id lasts
 * 3 s, and a form not opened by then never opens. Past it the form opens without it, and the card names the message's
 * channel with no link.
 */
const PERMALINK_WAIT_MS = 1000;

export const OWN_MESSAGE = "That is one of Greenlight's own messages, not a moment to flag: decide on the card, or flag the message the moment came from.";

/** "Flag moment" on a message: the form, prefilled as a flag reaction reads the message (title, copy, link, topic). */
export function handleFlagMessageShortcut(services: Services) {
  return async ({ ack, shortcut, client, respond, context }: ShortcutArgs): Promise<void> => {
    await ack();
    const channel = shortcut.channel.id;
    const ts = shortcut.message.ts;
    // A reply in a thread carries its parent's ts: the notes about the moment go to that thread.
    const threadTs = typeof shortcut.message.thread_ts === 'string' && shortcut.message.thread_ts !== ts ? shortcut.message.thread_ts : undefined;
    // Greenlight's own messages (a card, a thread note, a DM) are not moments, as with a flag reaction.
    const { user, bot_id: botId } = shortcut.message as { user?: unknown; bot_id?: unknown };
    if ((context.botUserId !== undefined && user === context.botUserId) || (context.botId !== undefined && botId === context.botId)) {
      services.logger.log(LogLevel.INFO, 'flag refused', { userId: shortcut.user.id, action: 'flag', via: 'shortcut', reason: 'own message' });
      await respond({ response_type: 'ephemeral', replace_original: false, text: OWN_MESSAGE });
      return;
    }
    const sent = wordsOf(shortcut.message);
    // An image or a video beside the words: reviewers are told to open the message to see it.
    const files = filesOf(shortcut.message);
    // Asked together, within the same wait: the form must open inside the trigger's 3 s. A message under review already
    // gets the card's link instead of a form that could never be sent (as a second flag reaction does).
    const [flagged, link, names] = await Promise.all([
      services.backend.momentForSource(channel, ts).catch((error: unknown) => {
        services.logger.log(LogLevel.WARN, 'whether the message is flagged already not read: the form opens, and its submit checks', { userId: shortcut.user.id, error: String(error) });
        return undefined;
      }),
      permalinkWithin(client, channel, ts, PERMALINK_WAIT_MS, (problem) =>
        services.logger.log(LogLevel.WARN, 'permalink of the flagged message not available', { userId: shortcut.user.id, error: problem }),
      ),
      namesWithin(client, sent, PERMALINK_WAIT_MS, (problem) =>
        services.logger.log(LogLevel.WARN, 'names of the people the flagged message mentions not available', { userId: shortcut.user.id, error: problem }),
      ),
    ]);
    if (flagged !== undefined) {
      services.logger.log(LogLevel.INFO, 'flag refused', { userId: shortcut.user.id, action: 'flag', via: 'shortcut', reason: 'flagged already', momentId: flagged });
      await respond({ response_type: 'ephemeral', replace_original: false, text: (await flaggedAlready(services, flagged)).text });
      return;
    }
    // Chosen on the text as Slack sends it, as a flag reaction's is: a channel the message links (`<#C…|crisis>`) is no
    // `#crisis` tag. A leading or trailing tag picks the topic and leaves the copy, as with a reaction; keywords are
    // looked for in the words as typed.
    const chosen = chooseTopic(services.routing, sent, undefined, plainFromSlack(sent));
    const topic = chosen.ok ? chosen.choice.topic.name : undefined;
    const text = plainFromSlack(chosen.ok ? chosen.choice.text : sent, names);
    // Read as a flag reaction reads it: its opening words (or "Title:") for a title, and the first link it holds as the
    // source link; the message itself is the moment's source, which the card links as where it was said.
    const read = readFlaggedMessage(text, firstMarkedLink(chosen.ok ? chosen.choice.text : sent));
    const prefill = { title: read.title === '' ? undefined : read.title, copy: text, link: read.link, topic };
    const longMessage = copyPrefill(text) !== text;
    const origin: FlagOrigin = {
      channel,
      source: {
        channel,
        ts,
        ...(threadTs ? { threadTs } : {}),
        ...(link ? { permalink: link } : {}),
        wordsSeen: wordsSeen(chosen.ok ? chosen.choice : { text: sent }),
        ...(files.length > 0 ? { files } : {}),
      },
      ...(longMessage ? { whole: text } : {}),
      copyShown: wordsFingerprint(text),
    };
    let metadata: FlagFormMetadata;
    try {
      metadata = await keepFormOrigin(services.backend, shortcut.user.id, origin);
    } catch (error) {
      // A form whose origin is not kept could not be sent: say so instead, straight to the response_url.
      const answer = unsavedAnswer(services.logger, 'flag', error, { userId: shortcut.user.id, action: 'flag', via: 'shortcut' });
      await respond({ response_type: 'ephemeral', replace_original: false, text: answer });
      return;
    }
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view: buildFlagModal(services.routing, metadata, prefill, longMessage) });
    } catch (error) {
      // Slack refused the form (its trigger ran out, a slow moment): the person is told, or they would wait for nothing.
      services.logger.log(LogLevel.WARN, 'flag form not opened', { userId: shortcut.user.id, action: 'flag', via: 'shortcut', error: String(error) });
      await respond({ response_type: 'ephemeral', replace_original: false, text: FORM_NOT_OPENED });
    }
  };
}

export const FORM_NOT_OPENED = 'Slack did not open the form in time, so nothing was flagged. Use *Flag moment* on the message again.';

/** The names of the people `text` mentions (see mentionedNames), as many as Slack gives within `ms`. */
function namesWithin(client: WebClient, text: string, ms: number, problem: (what: string) => void): Promise<ReadonlyMap<string, string>> {
  return within<ReadonlyMap<string, string>>(mentionedNames(client, text, problem), ms, () => {
    problem(`no answer within ${ms} ms: mentions read as ids`);
    return new Map();
  });
}

/** The message's permalink, or undefined when Slack cannot give it within `ms` (told to `problem`). */
async function permalinkWithin(client: WebClient, channel: string, ts: string, ms: number, problem: (what: string) => void): Promise<string | undefined> {
  let over = false;
  const asked = client.chat.getPermalink({ channel, message_ts: ts }).then(
    (answer) => answer.permalink,
    (error: unknown) => {
      // Once the form has gone without it, a late failure is no news.
      if (!over) problem(String(error));
      return undefined;
    },
  );
  try {
    return await within<string | undefined>(asked, ms, () => {
      problem(`no answer within ${ms} ms: the card will not link the message`);
      return undefined;
    });
  } finally {
    over = true;
  }
}
