import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AttachedFile, SourceMessage } from '../../core/moment';
import type { Notice } from '../../core/notice';
import { readFlaggedMessage } from '../../core/quick-flag';
import { RETRY_FOR_MS } from '../../delivery/backoff';
import { classifyFailure } from '../../delivery/failure';
import { chooseTopic, type TopicChoice } from '../../core/routing';
import type { NewReaction } from '../../backend/backend-ops';
import type { PendingReaction } from '../../store/reaction-intake';
import { flaggedAlready, storeFlag } from '../store-through';
import type { Services, Workspace } from '../services';
import { mentionedNames } from '../mention-names';
import { filesOf } from '../message-files';
import { wordsOf, wordsSeen } from '../message-words';
import { readMessageAt } from '../read-message';
import { firstMarkedLink, plainFromSlack } from '../slack-text';

/** What the person hears when the message they reacted to has no text to flag. */
export const MESSAGE_GONE = 'I could not find that message (was it deleted?), so nothing was flagged.';

export const NO_TEXT =
  'That message has no words to put on a card (an image or a file?). Use the *Flag moment* shortcut on it (its ⋯ menu) and type the copy: its reviewers get a link to the message.';

/**
 * Turns a stored flag reaction into a moment: reads the message, routes it, stores it, then
 * forgets the reaction. Safe to run twice: the request key and the message's source make it a duplicate.
 */
export async function processReaction(services: Services, client: WebClient, reaction: PendingReaction): Promise<void> {
  const { backend, logger, routing } = services;
  const fields = { userId: reaction.userId, action: 'flag', via: 'reaction' };
  // Asked alongside the message (it never fails: unknown counts as a person of the workspace).
  const reactor = whoReacted(client, reaction.userId, services.workspace);
  let message: ReactedMessage | undefined;
  try {
    message = await readMessage(client, reaction.channel, reaction.ts);
  } catch (error) {
    // Slack down or the network: tried again on the resume timer for as long as the outbox retries its own
    // messages. Dropped only when Slack's answer is final (the channel gone or closed to Greenlight), or after that.
    const failure = classifyFailure(error);
    const giveUp = failure.kind === 'permanent' || services.clock() - reaction.receivedAt >= RETRY_FOR_MS;
    logger.log(giveUp ? LogLevel.ERROR : LogLevel.WARN, 'flagged message could not be read', { ...fields, error: failure.error, giveUp });
    await backend.reactionUnreadable(reaction.eventKey, giveUp);
    return;
  }
  // An integration that reacts to messages is not someone flagging a moment: it could never review or withdraw it. Nor
  // is someone of another organisation in a shared channel (Slack Connect): as the flagger they would be told the
  // reviewers' words and could revise the copy under review. Neither is answered: a partner's ⚡ is only an emoji.
  const who = await reactor;
  if (who !== 'member') {
    logger.log(LogLevel.INFO, who === 'bot' ? 'flag reaction by a bot ignored' : 'flag reaction by someone outside the workspace ignored', fields);
    await backend.forgetReaction(reaction.eventKey, undefined);
    return;
  }
  // The topic is chosen on the text as Slack sends it: there a channel the message mentions is a link
  // (`<#C…|crisis>`), not a `#crisis` tag, so it neither routes the moment nor is cut from the copy. Keywords are looked
  // for in the words as typed ("M&A", which Slack sends as "M&amp;A").
  const chosen = message === undefined ? undefined : chooseTopic(routing, message.text, undefined, plainFromSlack(message.text));
  if (message === undefined || !chosen?.ok) {
    // Deleted between the reaction and its reading (or, with a routing file without a default topic, nowhere to go):
    // the person is told nothing was flagged, rather than left waiting for a card.
    logger.log(LogLevel.WARN, message === undefined ? 'flagged message not found' : 'flagged message has no topic', fields);
    const said = message === undefined ? MESSAGE_GONE : chosen?.ok === false ? chosen.message : undefined;
    await backend.forgetReaction(reaction.eventKey, said === undefined ? undefined : answerTo(reaction, message?.threadTs, said));
    backend.notify();
    return;
  }
  // People the message mentions read by name on the card, as they did in the channel; the card links the message.
  const [names, permalink] = await Promise.all([
    mentionedNames(client, chosen.choice.text, (error) =>
      logger.log(LogLevel.WARN, 'names of the people the flagged message mentions not available', { ...fields, error }),
    ),
    client.chat.getPermalink({ channel: reaction.channel, message_ts: reaction.ts }).then(
      (answer) => answer.permalink,
      (error: unknown) => {
        logger.log(LogLevel.WARN, 'permalink of the flagged message not available', { ...fields, error: String(error) });
        return undefined;
      },
    ),
  ]);
  const plain = plainFromSlack(chosen.choice.text, names);
  if (plain.trim() === '') {
    // An image, a file, or only a #topic tag: nothing to put on a card. Say so rather than flag an empty moment.
    logger.log(LogLevel.INFO, 'flagged message has no text', fields);
    await backend.forgetReaction(reaction.eventKey, answerTo(reaction, message.threadTs, NO_TEXT));
    backend.notify();
    return;
  }
  const outcome = await storeFlag(
    services,
    { flaggerId: reaction.userId, content: readFlaggedMessage(plain, firstMarkedLink(chosen.choice.text)), topic: chosen.choice.topic, source: sourceOf(reaction, message, permalink, chosen.choice) },
    { userId: reaction.userId, channel: reaction.channel, responseUrl: undefined },
    reaction.eventKey,
  );
  let answer: Notice | undefined;
  if (outcome.kind === 'refused') answer = answerTo(reaction, message.threadTs, outcome.message);
  // Someone else's reaction flagged it meanwhile (both were read at once): this person is pointed to its card too.
  else if (outcome.kind === 'duplicate' && outcome.momentId !== undefined) {
    answer = answerTo(reaction, message.threadTs, (await flaggedAlready(services, outcome.momentId)).text);
  }
  await backend.forgetReaction(reaction.eventKey, answer);
  if (outcome.kind === 'flagged') logger.log(LogLevel.INFO, 'moment flagged', { ...fields, momentId: outcome.momentId });
  backend.notify();
}

/** An answer only the reacting person sees, next to the message: in its thread when it is a reply. */
function answerTo(reaction: NewReaction, threadTs: string | undefined, text: string): Notice {
  return { kind: 'ephemeral', userId: reaction.userId, channel: reaction.channel, text, ...(threadTs === undefined ? {} : { threadTs }) };
}

interface ReactedMessage {
  readonly text: string;
  /** What it carries beside its words (see filesOf). */
  readonly files: readonly AttachedFile[];
  /** The thread's parent when the message is a reply. */
  readonly threadTs: string | undefined;
}

function sourceOf(reaction: PendingReaction, message: ReactedMessage, permalink: string | undefined, choice: TopicChoice): SourceMessage {
  const { threadTs, files } = message;
  return {
    channel: reaction.channel,
    ts: reaction.ts,
    ...(threadTs === undefined ? {} : { threadTs }),
    ...(permalink === undefined ? {} : { permalink }),
    wordsSeen: wordsSeen(choice),
    ...(files.length === 0 ? {} : { files }),
  };
}

/**
 * A flag reaction on a message that is a moment already: the person is told where it stands and where its card is,
 * once for the event (a Slack retry is not answered again).
 */
export async function answerFlaggedAlready(services: Services, client: WebClient, reaction: NewReaction, momentId: number): Promise<void> {
  const { backend, logger } = services;
  // A bot reacting is not someone to point at the card (the answer would go nowhere), nor is someone of another
  // organisation (how an internal review stands is not theirs to read).
  if ((await whoReacted(client, reaction.userId, services.workspace)) !== 'member') return;
  try {
    const { text, source } = await flaggedAlready(services, momentId);
    // The moment's source is this message: its thread, if it is a reply, is where the person reacted.
    const threadTs = source?.channel === reaction.channel && source.ts === reaction.ts ? source.threadTs : undefined;
    await backend.answerOnce(momentId, reaction.eventKey, answerTo(reaction, threadTs, text));
  } catch (error) {
    // Only an answer is lost: the moment is there, reviewed as before.
    logger.log(LogLevel.WARN, 'could not tell a flag reaction its message is under review', { userId: reaction.userId, momentId, error: String(error) });
    return;
  }
  backend.notify();
}

/** Reactions stored but not yet flagged (a crash, or Slack unreachable): picked up at start and on a timer. */
export async function resumeReactions(services: Services, client: WebClient): Promise<void> {
  for (const reaction of services.backend.pendingReactions(100)) {
    // Stopping: the rest stay stored for the next start.
    if (services.background.isStopping) return;
    await processReaction(services, client, reaction);
  }
}

/** The reacted-to message's words, and its thread when it is a reply; undefined when it is gone. */
async function readMessage(client: WebClient, channel: string, ts: string): Promise<ReactedMessage | undefined> {
  const message = await readMessageAt(client, channel, ts);
  return message === undefined ? undefined : { text: wordsOf(message), files: filesOf(message), threadTs: threadParent(message.thread_ts, ts) };
}

/** A reply names its thread's parent (the notes about the moment go there); a message starting a thread, itself. */
function threadParent(threadTs: string | undefined, ts: string): string | undefined {
  return threadTs !== undefined && threadTs !== ts ? threadTs : undefined;
}

/**
 * Who `userId` is, as Slack says: a bot (or an app's user), someone of another organisation (their team neither the
 * workspace's nor in its Enterprise Grid org), or a member. When Slack cannot say, or the workspace is not known, a
 * member, so no flag is lost.
 */
async function whoReacted(client: WebClient, userId: string, workspace: Workspace | undefined): Promise<'bot' | 'outsider' | 'member'> {
  try {
    const { user } = await client.users.info({ user: userId });
    if (user?.is_bot === true) return 'bot';
    return workspace === undefined || user === undefined || sameOrganisation(user, workspace) ? 'member' : 'outsider';
  } catch {
    return 'member';
  }
}

export function sameOrganisation(user: { readonly team_id?: string; readonly enterprise_user?: { readonly enterprise_id?: string } }, workspace: Workspace): boolean {
  if (user.team_id === undefined || user.team_id === workspace.teamId) return true;
  const { enterpriseId } = workspace;
  return enterpriseId !== undefined && (user.team_id === enterpriseId || user.enterprise_user?.enterprise_id === enterpriseId);
}
