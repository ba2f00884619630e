import type { WebClient } from '@slack/web-api';
import { platformErrorOf } from '../delivery/failure';

/** A message as Slack's history or a thread's replies give it (read further with wordsOf, stringField). */
export interface ReadMessage {
  readonly ts?: string;
  readonly thread_ts?: string;
}

/**
 * One message by its ts, as Slack sends it: a top-level one (or a reply also sent to the channel) through the history,
 * a reply through its thread, straight there when its thread is known. Undefined: the message is gone.
 */
export async function readMessageAt(client: WebClient, channel: string, ts: string, threadTs?: string): Promise<ReadMessage | undefined> {
  if (threadTs === undefined) {
    const history = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
    const top = history.messages?.find((m) => m.ts === ts);
    // A reply also sent to the channel (thread_broadcast) is in the history too, naming its thread.
    if (top !== undefined) return top;
  }
  // Slack answers with the thread's parent first, then the replies from `oldest`: ask for both.
  const replies = await client.conversations.replies({ channel, ts: threadTs ?? ts, oldest: ts, latest: ts, inclusive: true, limit: 2 }).catch((error: unknown) => {
    // Neither in the history nor a thread's: the message is gone (deleted since).
    if (platformErrorOf(error) === 'thread_not_found') return undefined;
    throw error;
  });
  return replies?.messages?.find((m) => m.ts === ts);
}
