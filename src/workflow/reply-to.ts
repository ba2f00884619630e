import type { Notice } from '../core/notices';

/** Where an ephemeral answer to a person goes: their interaction's response_url, else an ephemeral in the channel. */
export interface ReplyTo {
  readonly userId: string;
  readonly channel: string | undefined;
  readonly responseUrl: string | undefined;
}

export function replyNotice(to: ReplyTo, text: string): Notice | undefined {
  if (to.responseUrl) return { kind: 'respond', responseUrl: to.responseUrl, text };
  if (to.channel) return { kind: 'ephemeral', userId: to.userId, channel: to.channel, text };
  return undefined;
}
