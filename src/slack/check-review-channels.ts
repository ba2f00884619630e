import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Routing } from '../core/routing-types';
import { isOutOfReach, operatorFix, platformErrorOf } from '../delivery/failure';
import type { StructuredLogger } from '../log/logger';

/**
 * At start, each review channel of the routing file is read once (its newest message, with the history scopes the bot
 * has): one Greenlight was never invited to would otherwise be found by the first flag routed there, whose moment then
 * has no card. Each such channel is said in one WARN naming its topics and the fix. Any other answer (a blip, a rate
 * limit) says nothing: the first card's post will tell. Resolves once every channel was asked. It only says things: a
 * stop neither waits for it nor hears from it (`stopped`).
 */
export async function checkReviewChannels(client: WebClient, routing: Routing, logger: StructuredLogger, stopped: () => boolean = () => false): Promise<void> {
  const topicsOf = new Map<string, string[]>();
  for (const topic of routing.topics) topicsOf.set(topic.channel, [...(topicsOf.get(topic.channel) ?? []), topic.name]);
  for (const [channel, topics] of topicsOf) {
    if (stopped()) return;
    try {
      await client.conversations.history({ channel, limit: 1 });
    } catch (error) {
      // A channel Greenlight cannot post in (never invited to it, an ID Slack does not know), as delivery tells it.
      if (stopped() || !isOutOfReach(error)) continue;
      logger.log(LogLevel.WARN, 'Greenlight cannot post in a review channel: moments of its topics would get no card', {
        channel,
        topics: topics.join(', '),
        error: platformErrorOf(error),
        fix: operatorFix(error),
      });
    }
  }
}
