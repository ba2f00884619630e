import type { Notice } from '../core/notice';

/**
 * Where an answer to a person goes: their interaction's response_url, else an ephemeral in the channel, else (`byDm`,
 * a press in App Home) a DM. With none of them (a form's submit) the form shows the answer itself.
 */
export interface ReplyTo {
  readonly userId: string;
  readonly channel: string | undefined;
  readonly responseUrl: string | undefined;
  readonly byDm?: true;
}

export function replyNotice(to: ReplyTo, text: string): Notice | undefined {
  if (to.responseUrl) return { kind: 'respond', responseUrl: to.responseUrl, text };
  if (to.channel) return { kind: 'ephemeral', userId: to.userId, channel: to.channel, text };
  if (to.byDm) return { kind: 'tell', userId: to.userId, text };
  return undefined;
}
