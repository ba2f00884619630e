import { LogLevel, type AllMiddlewareArgs, type SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { readQuickFlag } from '../../core/quick-flag';
import { chooseTopic } from '../../core/routing';
import { recordFlag } from '../../workflow/record-flag';
import type { Services } from '../services';
import { plainFromSlack } from '../slack-text';

type ReactionArgs = SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs;

/** A reaction with the flag emoji flags the message, once however many people react or Slack retries. */
export function handleReactionAdded(services: Services) {
  return async ({ event, body, client }: ReactionArgs): Promise<void> => {
    const { store, logger, routing, directory, clock } = services;
    if (event.reaction !== services.flagEmoji || event.item.type !== 'message') return;
    const { channel, ts } = event.item;
    const eventKey = `event:${typeof body.event_id === 'string' ? body.event_id : `${channel}:${ts}:${event.user}`}`;
    if (store.seen.has(eventKey) || store.moments.idForSource(channel, ts) !== undefined) return;
    const text = await messageText(client, channel, ts);
    if (text === undefined) {
      logger.log(LogLevel.WARN, 'flagged message could not be read', { userId: event.user, action: 'flag' });
      return;
    }
    const chosen = chooseTopic(routing, text);
    if (!chosen.ok) return;
    const outcome = recordFlag(
      store,
      { flaggerId: event.user, content: readQuickFlag(chosen.choice.text), topic: chosen.choice.topic, source: { channel, ts } },
      (role) => directory.membersOf(role),
      { userId: event.user, channel, responseUrl: undefined },
      eventKey,
      clock(),
    );
    if (outcome.kind === 'flagged') {
      logger.log(LogLevel.INFO, 'moment flagged', { momentId: outcome.momentId, userId: event.user, action: 'flag', via: 'reaction' });
      services.notify();
    } else if (outcome.kind === 'refused') {
      store.transaction(() => store.outbox.enqueue(undefined, [{ kind: 'ephemeral', userId: event.user, channel, text: outcome.message }], clock()));
      services.notify();
    }
  };
}

/** The reacted-to message's text: top-level messages through history, thread replies through replies. */
async function messageText(client: WebClient, channel: string, ts: string): Promise<string | undefined> {
  const history = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
  const top = history.messages?.find((m) => m.ts === ts);
  if (typeof top?.text === 'string') return plainFromSlack(top.text);
  const replies = await client.conversations.replies({ channel, ts, inclusive: true, limit: 1 });
  const reply = replies.messages?.find((m) => m.ts === ts);
  return typeof reply?.text === 'string' ? plainFromSlack(reply.text) : undefined;
}
