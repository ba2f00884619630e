import type { Command } from '../core/decide';
import { decide } from '../core/decide';
import type { MomentEvent } from '../core/events';
import type { MomentView } from '../core/moment';
import type { RefusalCode } from '../core/refusal';
import type { Store } from '../store/store';
import { commitEvents, ConcurrentChange, loadView } from './moment-view';
import { replyNotice, type ReplyTo } from './reply-to';

export type CommandOutcome =
  | { readonly kind: 'done'; readonly events: readonly MomentEvent[]; readonly view: MomentView }
  | { readonly kind: 'refused'; readonly code: RefusalCode | 'not_found'; readonly message: string }
  | { readonly kind: 'duplicate' };

/**
 * load -> decide -> store, in one IMMEDIATE transaction: two presses at the same instant are
 * serialised, so exactly one of them sees the open moment. A refusal is answered to the person
 * (through the outbox) and recorded as handled, so a replay does nothing at all.
 */
export function runCommand(
  store: Store,
  momentId: number,
  command: Command,
  replyTo: ReplyTo,
  requestKey: string,
  now: number,
): CommandOutcome {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return store.transaction((): CommandOutcome => {
        if (!store.seen.remember(requestKey, now)) return { kind: 'duplicate' };
        const view = loadView(store, momentId);
        if (!view) {
          const message = 'That moment no longer exists.';
          tell(store, undefined, replyTo, message, now);
          return { kind: 'refused', code: 'not_found', message };
        }
        const decided = decide(view, command, now);
        if (!decided.ok) {
          tell(store, momentId, replyTo, decided.message, now);
          return { kind: 'refused', code: decided.code, message: decided.message };
        }
        const after = commitEvents(store, view, decided.events, now);
        return { kind: 'done', events: decided.events, view: after };
      });
    } catch (error) {
      // Another process wrote between our read and write: read again and decide afresh.
      if (error instanceof ConcurrentChange && attempt < 3) continue;
      throw error;
    }
  }
}

function tell(store: Store, momentId: number | undefined, replyTo: ReplyTo, text: string, now: number): void {
  const notice = replyNotice(replyTo, text);
  if (notice) store.outbox.enqueue(momentId, [notice], now);
}
