import type { Command } from '../core/decide';
import { decide, refusalNamesMoment } from '../core/decide';
import type { MomentEvent } from '../core/events';
import { noticesForShortRoles } from '../core/notices';
import { isFinal, type MomentView } from '../core/moment';
import { nextDecidingTier } from '../core/policy';
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
        const view = loadView(store, momentId);
        if (view && overdue(view, command, now, roster) && catchUpDeadlines(store, momentId, now, roster())) {
          // The deadline stands whatever the press comes to: a refusal shown in a form rolls back the press alone.
          const pressed = shownAt(command, view.moment.tier);
          try {
            return store.transaction(() => press(store, momentId, pressed, loadView(store, momentId), replyTo, requestKey, now, roster));
          } catch (error) {
            if (error instanceof RefusedInForm) return error.outcome;
            throw error;
          }
        }
        return press(store, momentId, command, view, replyTo, requestKey, now, roster);
      });
    } catch (error) {
      if (error instanceof RefusedInForm) return error.outcome;
      // Another process wrote between our read and write: read again and decide afresh.
      if (error instanceof ConcurrentChange && attempt < 3) continue;
      throw error;
    }
  }
}

/** decide -> store for one request, once per request key. */
function press(
  store: Store,
  momentId: number,
  command: Command,
  view: MomentView | undefined,
  replyTo: ReplyTo,
  requestKey: string,
  now: number,
  roster: () => Roster | undefined,
): CommandOutcome {
  if (!store.seen.remember(requestKey, now)) return { kind: 'duplicate' };
  if (!view) {
    const message = 'That moment no longer exists.';
    return refuse(store, undefined, replyTo, { kind: 'refused', code: 'not_found', message }, now);
  }
  const decided = decide(view, command, now);
  if (!decided.ok) {
    // Named only to someone with a part in it (see refusalNamesMoment): else queued as about no moment.
    const about = refusalNamesMoment(view, command.actor.userId, decided) ? momentId : undefined;
    return refuse(store, about, replyTo, { kind: 'refused', code: decided.code, message: decided.message }, now);
  }
  const after = commitEvents(store, view, decided.events, now);
  // A revision asks its reviewers again: if people left a role while it was being written (no warning is sent while
  // changes are asked), too few may be left to approve it, and the flagger hears so now, not at the deadline.
  if (decided.events.some((event) => event.type === 'revised')) store.outbox.enqueue(momentId, noticesForShortRoles(after, undefined, roster()), now);
  return { kind: 'done', events: decided.events, view: after };
}

/**
 * Whether a deadline may have fallen due unapplied (only past the moment's due time, so a press in time reads nothing
 * more). A withdrawal needs one applied only where it ends the moment (no later tier can decide, or the revision is
 * late): the moment expired, whatever the sweep's delay. An escalation is not applied first: the flagger may withdraw
 * at any tier, and the next tier need not be pinged for a moment about to close.
 */
function overdue(view: MomentView, command: Command, now: number, roster: () => Roster | undefined): boolean {
  const { moment } = view;
  if (isFinal(moment.state.status) || moment.dueAt > now) return false;
  if (command.kind !== 'withdraw') return true;
  return moment.state.status === 'changes_requested' || nextDecidingTier(view, roster()) === undefined;
}

/**
 * A press that does not say which tier it was made at (a button from before tiers were in its value) was made at the
 * tier the moment was at before the catch-up moved it, not the one the catch-up reached.
 */
function shownAt(command: Command, tier: number): Command {
  switch (command.kind) {
    case 'approve':
    case 'reject':
    case 'request_changes':
    case 'escalate':
      return command.fromTier === undefined ? { ...command, fromTier: tier } : command;
    default:
      return command;
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
