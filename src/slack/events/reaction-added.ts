import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../services';
import { processReaction } from './reaction-intake';

type ReactionArgs = SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs;

/**
 * A reaction with the flag emoji flags the message, once however many people react or Slack
 * retries. Bolt has already acknowledged the event: the reaction is stored first, then processed.
 */
export function handleReactionAdded(services: Services) {
  return async ({ event, body, client, context }: ReactionArgs): Promise<void> => {
    const { backend, clock } = services;
    if (event.reaction !== services.flagEmoji || event.item.type !== 'message') return;
    // Greenlight's own messages (the card starts with the same emoji, a DM, a thread note) are not moments.
    if (context.botUserId !== undefined && event.item_user === context.botUserId) return;
    const { channel, ts } = event.item;
    const eventKey = `event:${typeof body.event_id === 'string' ? body.event_id : `${channel}:${ts}:${event.user}`}`;
    const reaction = { eventKey, channel, ts, userId: event.user, receivedAt: clock() };
    if (!(await backend.takeReaction(reaction))) return;
    await processReaction(services, client, { ...reaction, attempts: 0 });
  };
}
