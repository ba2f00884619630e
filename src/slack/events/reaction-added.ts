import { LogLevel, type AllMiddlewareArgs, type SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Context } from '@slack/bolt';
import type { NewReaction } from '../../backend/backend-ops';
import type { Services } from '../services';
import { answerFlaggedAlready, processReaction } from './reaction-intake';
import { isRecord } from '../payload';

type ReactionArgs = SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs;

/** The context key under which the intake hands the stored reaction to the listener. */
const TAKEN = 'greenlightFlagReaction';
/** …and the one whose message is a moment already, with that moment's id. */
const ALREADY = 'greenlightFlaggedAlready';

/**
 * Stores a flag reaction before Slack is answered. Bolt acknowledges an event before any listener runs, and
 * Slack never sends an acknowledged event again: stored afterwards, a reaction the database refused (locked
 * by a backup past the busy timeout) or a crash between the two would be lost without a trace. Here a failed
 * write fails the request, and Slack sends the event again. Returns what the listener is to process: the
 * reaction when it is new, nothing when it is a retry or its message is already flagged.
 */
export function flagReactionIntake(services: Services, botUserId: string) {
  const store = async (reaction: NewReaction): Promise<Record<string, unknown>> => {
    try {
      const taken = await services.backend.takeReaction(reaction);
      if (taken.kind === 'flagged_already') return { [ALREADY]: { ...reaction, momentId: taken.momentId } };
      return { [TAKEN]: taken.kind === 'new' ? reaction : undefined };
    } catch (error) {
      services.logger.log(LogLevel.ERROR, 'flag reaction not saved: Slack is not answered and will send it again', {
        userId: reaction.userId,
        action: 'flag',
        via: 'reaction',
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };
  return (body: unknown): Promise<Record<string, unknown>> | undefined => {
    const reaction = flagReactionIn(body, services.flagEmoji, botUserId, services.clock());
    return reaction ? store(reaction) : undefined;
  };
}

/**
 * A reaction with the flag emoji flags the message, once however many people react or Slack
 * retries. The intake has stored it before Slack was answered; here it is turned into a moment.
 */
export function handleReactionAdded(services: Services) {
  return async ({ context, client }: ReactionArgs): Promise<void> => {
    const already = flaggedAlready(context);
    if (already) {
      await services.background.run(() => answerFlaggedAlready(services, client, already.reaction, already.momentId));
      return;
    }
    const reaction = takenReaction(context);
    if (!reaction) return;
    // Stored before Slack was answered: when Greenlight is stopping, the next start takes it up.
    await services.background.run(() => processReaction(services, client, { ...reaction, attempts: 0 }));
  };
}

/** The flag reaction an Events API body carries, read at the edge; undefined for anything else. */
export function flagReactionIn(body: unknown, flagEmoji: string, botUserId: string, now: number): NewReaction | undefined {
  if (!isRecord(body) || body.type !== 'event_callback' || !isRecord(body.event)) return undefined;
  const { event } = body;
  // A skin-toned reaction is named "raised_hand::skin-tone-3" (a two-person one "handshake::skin-tone-2::skin-tone-5"):
  // it is the flag emoji all the same.
  const emoji = typeof event.reaction === 'string' ? event.reaction.replace(/(::skin-tone-\d)+$/, '') : undefined;
  if (event.type !== 'reaction_added' || emoji !== flagEmoji || typeof event.user !== 'string') return undefined;
  // Greenlight's own messages (the card starts with the same emoji, a DM, a thread note) are not moments.
  if (event.item_user === botUserId) return undefined;
  const item = event.item;
  if (!isRecord(item) || item.type !== 'message' || typeof item.channel !== 'string' || typeof item.ts !== 'string') return undefined;
  const eventKey = `event:${typeof body.event_id === 'string' ? body.event_id : `${item.channel}:${item.ts}:${event.user}`}`;
  return { eventKey, channel: item.channel, ts: item.ts, userId: event.user, receivedAt: now };
}

function flaggedAlready(context: Context): { reaction: NewReaction; momentId: number } | undefined {
  const value: unknown = context[ALREADY];
  const reaction = reactionIn(value);
  return reaction && isRecord(value) && typeof value.momentId === 'number' ? { reaction, momentId: value.momentId } : undefined;
}

function takenReaction(context: Context): NewReaction | undefined {
  return reactionIn(context[TAKEN]);
}

function reactionIn(value: unknown): NewReaction | undefined {
  if (!isRecord(value)) return undefined;
  const { eventKey, channel, ts, userId, receivedAt } = value;
  if (typeof eventKey !== 'string' || typeof channel !== 'string' || typeof ts !== 'string' || typeof userId !== 'string' || typeof receivedAt !== 'number') {
    return undefined;
  }
  return { eventKey, channel, ts, userId, receivedAt };
}
