import { LogLevel, type AllMiddlewareArgs, type MessageShortcut, type SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { buildFlagModal, copyPrefill } from '../blocks/flag-modal';
import type { Services } from '../services';
import { unsavedAnswer } from '../unsaved-answer';
import { plainFromSlack } from '../slack-text';
import { chooseTopic } from '../../core/routing';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export const OWN_MESSAGE = "That is one of Greenlight's own messages, not a moment to flag: decide on the card, or flag the message the moment came from.";

/** "Flag moment" on a message: the form, prefilled with the message's text and permalink. */
export function handleFlagMessageShortcut(services: Services) {
  return async ({ ack, shortcut, client, respond, context }: ShortcutArgs): Promise<void> => {
    await ack();
    const channel = shortcut.channel.id;
    const ts = shortcut.message.ts;
    // Greenlight's own messages (a card, a thread note, a DM) are not moments, as with a flag reaction.
    const { user, bot_id: botId } = shortcut.message as { user?: unknown; bot_id?: unknown };
    if ((context.botUserId !== undefined && user === context.botUserId) || (context.botId !== undefined && botId === context.botId)) {
      services.logger.log(LogLevel.INFO, 'flag refused', { userId: shortcut.user.id, action: 'flag', via: 'shortcut', reason: 'own message' });
      await respond({ response_type: 'ephemeral', replace_original: false, text: OWN_MESSAGE });
      return;
    }
    let link: string | undefined;
    try {
      link = (await client.chat.getPermalink({ channel, message_ts: ts })).permalink;
    } catch (error) {
      services.logger.log(LogLevel.WARN, 'permalink of the flagged message not available', { userId: shortcut.user.id, error: String(error) });
    }
    const sent = typeof shortcut.message.text === 'string' ? shortcut.message.text : '';
    // Chosen on the text as Slack sends it, as a flag reaction's is: a channel the message links (`<#C…|crisis>`) is no
    // `#crisis` tag. A leading or trailing tag picks the topic and leaves the copy, as with a reaction.
    const chosen = chooseTopic(services.routing, sent);
    const topic = chosen.ok ? chosen.choice.topic.name : undefined;
    const text = plainFromSlack(chosen.ok ? chosen.choice.text : sent);
    let draft: string | undefined;
    if (copyPrefill(text) !== text) {
      draft = `draft:${shortcut.trigger_id}`;
      try {
        await services.backend.putDraft(draft, text);
      } catch (error) {
        // A form without the draft would lose the end of the message: say so instead, straight to the response_url.
        const answer = unsavedAnswer(services.logger, 'flag', error, { userId: shortcut.user.id, action: 'flag', via: 'shortcut' });
        await respond({ response_type: 'ephemeral', replace_original: false, text: answer });
        return;
      }
    }
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildFlagModal(services.routing, { channel, source: { channel, ts }, draft }, { copy: text, link, topic }),
    });
  };
}
