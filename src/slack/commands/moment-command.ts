import { LogLevel, type SlackCommandMiddlewareArgs, type AllMiddlewareArgs, type SlashCommand } from '@slack/bolt';
import { readQuickFlag } from '../../core/quick-flag';
import { EMPTY_FLAG, NO_COPY } from '../../core/flag';
import { chooseTopic, mistypedTopicTag, topicNames, withMeantTopicTag } from '../../core/routing';
import type { Routing } from '../../core/routing-types';
import { isBlank } from '../../core/words';
import type { OpenMoments } from '../../store/moments';
import type { FlagOutcome } from '../../workflow/record-flag';
import { flaggedBefore, storeFlag } from '../store-through';
import { unreadAnswer, unsavedAnswer } from '../unsaved-answer';
import { buildFlagModal } from '../blocks/flag-modal';
import { readCommandWords } from '../../core/command-words';
import { buildHelpText, buildListText, buildStatsText, notACommandAnswer } from '../blocks/command-replies';
import { STATS_DAYS, statsWindowStart, teamStats } from '../../core/stats';
import { boldTitle, escapeText } from '../blocks/mrkdwn';
import type { Services } from '../services';
import { firstMarkedLink, plainFromSlack } from '../slack-text';

/** A quick flag longer than this goes through the modal instead (the store keeps whole copy, but a slash command is for short text). */
const QUICK_FLAG_MAX = 4000;

export const COMMAND_FORM_NOT_OPENED = 'Slack did not open the form in time, so nothing was flagged. Run `/moment` again, or write it as `/moment Title: the copy`.';

/** Told through the outbox, as every answer after the ack is: to the command's response_url. */
async function tellFormNotOpened(services: Services, command: SlashCommand): Promise<void> {
  try {
    await services.backend.answerOnce(undefined, `form:${command.trigger_id}`, { kind: 'respond', responseUrl: command.response_url, text: COMMAND_FORM_NOT_OPENED });
    services.backend.notify();
  } catch (error) {
    // The outbox lives in the database that failed: nothing more can be said than the log line.
    services.logger.log(LogLevel.ERROR, 'the form not opening could not be told', { userId: command.user_id, action: 'flag', error: String(error) });
  }
}

/** `/moment <text>` flags; `/moment` alone opens the modal; `help`, `list` and `stats` answer the person. */
export function handleMomentCommand(services: Services) {
  return async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const { logger, backend, routing, clock } = services;
    const text = plainFromSlack(command.text ?? '').trim();
    const asked = readCommandWords(text);
    if (asked.kind === 'subcommand') {
      const { name } = asked;
      if (name === 'help') {
        await ack({ response_type: 'ephemeral', text: buildHelpText(routing, services.flagEmoji) });
        return;
      }
      // What is shown is answered once the commits it may include are durable (see GroupCommit).
      let answer: string;
      try {
        answer = name === 'stats' ? buildStatsText(teamStats(await backend.outcomesSince(statsWindowStart(clock()))), STATS_DAYS) : buildListText(await openMomentsFor(services, command));
      } catch (error) {
        answer = unreadAnswer(logger, name, error, { userId: command.user_id, action: name });
      }
      await ack({ response_type: 'ephemeral', text: answer });
      return;
    }
    if (asked.kind === 'with_words' || asked.kind === 'near') {
      // "/moment list mine" or "/moment lsit" is someone asking for the list, not a moment to put before its reviewers.
      logger.log(LogLevel.INFO, 'flag refused', { userId: command.user_id, action: 'flag', reason: asked.kind === 'near' ? 'near a subcommand' : 'subcommand with words' });
      const how = 'write it as `/moment Title: the copy`.';
      await ack({
        response_type: 'ephemeral',
        text:
          asked.kind === 'near'
            ? `Did you mean \`/moment ${asked.name}\`? Nothing was flagged. To flag a moment with that word, ${how}`
            : `\`/moment ${asked.name}\` takes nothing after it. To flag a moment with those words, ${how}`,
      });
      return;
    }
    if (asked.kind === 'not_a_command') {
      logger.log(LogLevel.INFO, 'flag refused', { userId: command.user_id, action: 'flag', reason: 'a word taken for a command' });
      await ack({ response_type: 'ephemeral', text: notACommandAnswer(asked.word) });
      return;
    }
    if (text === '') {
      await ack();
      try {
        await client.views.open({ trigger_id: command.trigger_id, view: buildFlagModal(routing, { channel: command.channel_id }, undefined) });
      } catch (error) {
        // Slack refused the form (its trigger ran out, a slow moment): the person is told, or they would wait for nothing.
        logger.log(LogLevel.WARN, 'flag form not opened', { userId: command.user_id, action: 'flag', via: 'command', error: String(error) });
        await tellFormNotOpened(services, command);
      }
      return;
    }
    if (text.length > QUICK_FLAG_MAX) {
      // The form's copy field holds less than this: a long copy goes whole through a message and the shortcut.
      await ack({
        response_type: 'ephemeral',
        text: `That is ${text.length} characters; a quick flag takes up to ${QUICK_FLAG_MAX}. Post the copy as a message, then flag it with the *Flag moment* shortcut (its ⋯ menu): the whole message is kept.`,
      });
      return;
    }
    // A mistyped `#topic` would send the moment to the wrong reviewers without a word: asked about instead.
    const mistyped = mistypedTopicTag(routing, text);
    if (mistyped !== undefined) {
      logger.log(LogLevel.INFO, 'flag refused', { userId: command.user_id, action: 'flag', reason: 'mistyped topic tag' });
      await ack({
        response_type: 'ephemeral',
        text:
          `There is no topic named \`#${mistyped.tag}\`: did you mean \`#${mistyped.meant}\`? Nothing was flagged. Send it again with ` +
          `the topic's tag (\`#${mistyped.meant}\`, or another of: ${topicNames(routing)}); a hashtag of your own stays as written once a topic's tag is there too.` +
          toSendAgain(meantCommand(routing, withMeantTopicTag(text, mistyped)), mistyped.meant),
      });
      return;
    }
    const chosen = chooseTopic(routing, text);
    if (!chosen.ok) {
      await ack({ response_type: 'ephemeral', text: `${chosen.message} Topics: ${topicNames(routing)}.` });
      return;
    }
    let outcome: FlagOutcome;
    try {
      outcome = await storeFlag(
        services,
        { flaggerId: command.user_id, content: readQuickFlag(chosen.choice.text, 'normal', firstMarkedLink(command.text ?? '')), topic: chosen.choice.topic, source: undefined },
        { userId: command.user_id, channel: command.channel_id, responseUrl: command.response_url },
        `command:${command.trigger_id}`,
      );
    } catch (error) {
      const unsaved = unsavedAnswer(logger, 'flag', error, { userId: command.user_id, action: 'flag' });
      await ack({ response_type: 'ephemeral', text: `${unsaved}${toSendAgain(`/moment ${text}`)}` });
      return;
    }
    switch (outcome.kind) {
      case 'flagged':
        logger.log(LogLevel.INFO, 'moment flagged', { momentId: outcome.momentId, userId: command.user_id, action: 'flag', topic: chosen.choice.topic.name });
        await ack({ response_type: 'ephemeral', text: `⚡ Flagging ${boldTitle(readQuickFlag(chosen.choice.text).title, 200)} for *${chosen.choice.topic.name}* review…` });
        backend.notify();
        return;
      case 'duplicate':
        await ack();
        return;
      case 'repeat':
        logger.log(LogLevel.INFO, 'flag repeated', { momentId: outcome.momentId, userId: command.user_id, action: 'flag' });
        await ack({ response_type: 'ephemeral', text: await flaggedBefore(services, outcome.momentId) });
        return;
      case 'refused': {
        logger.log(LogLevel.WARN, 'flag refused', { userId: command.user_id, action: 'flag', reason: outcome.message });
        // Words refused for being empty are no words to send again.
        const words = outcome.message === EMPTY_FLAG || outcome.message === NO_COPY ? '' : toSendAgain(`/moment ${text}`);
        await ack({ response_type: 'ephemeral', text: `${outcome.message}${words}` });
        return;
      }
    }
  };
}

/** Not every open moment: a crisis reviewed in a private channel is not for the whole workspace to read. */
function openMomentsFor(services: Services, command: SlashCommand): Promise<OpenMoments> {
  const viewer = {
    userId: command.user_id,
    channel: command.channel_id,
    roles: services.directory.rolesOf(command.user_id),
    // A seat in a role the routing file no longer names is its holder's, as a press or the Home reads it (HeldRoles).
    knownRoles: Object.keys(services.routing.roles),
  };
  return services.backend.openMomentsFor(viewer, 20);
}

/** The command that flags `corrected` (the text with the topic's tag), or undefined where it would be refused for its words. */
function meantCommand(routing: Routing, corrected: string): string | undefined {
  const chosen = chooseTopic(routing, corrected);
  if (!chosen.ok || corrected.length > QUICK_FLAG_MAX) return undefined;
  const content = readQuickFlag(chosen.choice.text);
  return isBlank(content.title) || isBlank(content.copy) ? undefined : `/moment ${corrected}`;
}

/**
 * A refused flag's command, in a block to copy (as it would flag the moment for `topic`, when one was meant): Slack
 * clears what was typed once a command is sent, and retyping a post on a phone costs the minutes it is worth. Left out
 * where the text would end the block.
 */
function toSendAgain(command: string | undefined, topic?: string): string {
  if (command === undefined || command.includes('```')) return '';
  const lead = topic === undefined ? 'Your words, to send again:' : `To flag it for *${escapeText(topic)}*, send:`;
  return `\n${lead}\n\`\`\`${escapeText(command)}\`\`\``;
}
