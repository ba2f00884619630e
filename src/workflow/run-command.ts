import type { Command } from '../core/decide';
import { decide } from '../core/decide';
import type { MomentEvent } from '../core/events';
import { isFinal, type MomentView } from '../core/moment';
import type { Roster } from '../core/routing';
import type { RefusalCode } from '../core/refusal';
import type { Store } from '../store/store';
import { commitEvents, ConcurrentChange, loadView } from './moment-view';
import { replyNotice, type ReplyTo } from './reply-to';
import { catchUpDeadlines } from './sweep-deadlines';

export type CommandOutcome =
  | { readonly kind: 'done'; readonly events: readonly MomentEvent[]; readonly view: MomentView }
  | { readonly kind: 'refused'; readonly code: RefusalCode | 'not_found'; readonly message: string }
  | { readonly kind: 'duplicate' };

/**
 * load -> decide -> store, in one IMMEDIATE transaction: two presses at the same instant are
 * serialised, so exactly one of them sees the open moment. A refusal is answered to the person
 * (through the outbox) and recorded as handled, so a replay does nothing at all. A refusal with nothing
 * to queue (a form shows it itself) leaves no trace: the person may submit the same form again.
 *
 * A moment whose deadline passed before a sweep applied it has it applied first, in the same transaction (`roster`: who
 * is in each role now, as the sweep seats an escalation): a press never outruns the scan, nor the start after downtime.
 */
export function runCommand(
  store: Store,
  momentId: number,
  command: Command,
  replyTo: ReplyTo,
  requestKey: string,
  now: number,
  roster: () => Roster | undefined = () => undefined,
): CommandOutcome {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return store.transaction((): CommandOutcome => {
        if (!store.seen.remember(requestKey, now)) return { kind: 'duplicate' };
        let view = loadView(store, momentId);
        // Only past the moment's due time is there a deadline to look for: a press in time reads nothing more.
        if (view && !isFinal(view.moment.state.status) && view.moment.dueAt <= now && catchUpDeadlines(store, momentId, now, roster())) {
          view = loadView(store, momentId);
        }
        if (!view) {
          const message = 'That moment no longer exists.';
          return refuse(store, undefined, replyTo, { kind: 'refused', code: 'not_found', message }, now);
        }
        const decided = decide(view, command, now);
        if (!decided.ok) {
          return refuse(store, momentId, replyTo, { kind: 'refused', code: decided.code, message: decided.message }, now);
        }
        const after = commitEvents(store, view, decided.events, now);
        return { kind: 'done', events: decided.events, view: after };
      });
    } catch (error) {
      if (error instanceof RefusedInForm) return error.outcome;
      // Another process wrote between our read and write: read again and decide afresh.
      if (error instanceof ConcurrentChange && attempt < 3) continue;
      throw error;
    }
  }
}

/** Thrown to roll the request back (its `seen` row included) when a refusal has nothing to queue. */
class RefusedInForm extends Error {
  constructor(readonly outcome: CommandOutcome) {
    super('refused in the form');
  }
}

/**
 * Queues the refusal for the person. Shown in a form instead (no reply to queue), it must not be remembered:
 * else the corrected form, submitted again with the same view id, would count as a replay and close unanswered.
 */
function refuse(store: Store, momentId: number | undefined, replyTo: ReplyTo, outcome: CommandOutcome & { kind: 'refused' }, now: number): CommandOutcome {
  const notice = replyNotice(replyTo, outcome.message);
  if (!notice) throw new RefusedInForm(outcome);
  store.outbox.enqueue(momentId, [notice], now);
  return outcome;
}
