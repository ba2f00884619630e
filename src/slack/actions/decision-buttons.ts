import { LogLevel, type AllMiddlewareArgs, type BlockAction, type SlackActionMiddlewareArgs } from '@slack/bolt';
import { decide, pressedOn, refusalNamesMoment, type Actor, type Command } from '../../core/decide';
import { assertNever } from '../../core/events';
import type { MomentView } from '../../core/moment';
import type { Roster } from '../../core/routing';
import { replyNotice, type ReplyTo } from '../../workflow/reply-to';
import type { CommandOutcome } from '../../workflow/run-command';
import { republishHome } from '../republish-home';
import { unreadAnswer, unsavedAnswer } from '../unsaved-answer';
import { buildRejectModal, buildRequestChangesModal, buildReviseModal } from '../blocks/decision-modals';
import { decodeButtonValue } from '../ids';
import type { Services } from '../services';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The pressed button's moment and revision, and where to answer the presser; undefined for a payload that is not ours. */
function readPress({ body, action }: ActionArgs): { momentId: number; revision: number; tier?: number; stamp?: string; replyTo: ReplyTo; key: string; fromHome: boolean } | undefined {
  const value = action.type === 'button' ? decodeButtonValue(action.value) : undefined;
  if (!value) return undefined;
  const fromHome = body.view?.type === 'home';
  return {
    ...value,
    // A press in App Home has no channel or response_url: a refusal (the moment moved on) is told by DM.
    replyTo: { userId: body.user.id, channel: body.channel?.id, responseUrl: body.response_url, ...(fromHome ? { byDm: true as const } : {}) },
    key: `action:${body.trigger_id}`,
    fromHome,
  };
}

/** The buttons that act in one press; each builds its command for the presser. */
export type OnePressAction = 'approve' | 'escalate' | 'withdraw';

/** `roster`: who is in each role now (the directory's), so an escalation asks the next tier as it is today. */
function commandFor(kind: OnePressAction, actor: Actor, press: { revision: number; tier?: number }, roster: Roster): Command {
  switch (kind) {
    case 'approve':
      return press.tier === undefined ? { kind, actor, revision: press.revision } : { kind, actor, revision: press.revision, fromTier: press.tier };
    case 'escalate':
      return press.tier === undefined ? { kind, actor, revision: press.revision, roster } : { kind, actor, revision: press.revision, fromTier: press.tier, roster };
    case 'withdraw':
      return { kind, actor };
    default:
      return assertNever(kind);
  }
}

/** Approve, Escalate, Withdraw: recorded before the ack, so an acknowledged press is never lost. */
export function handleOnePress(services: Services, kind: OnePressAction) {
  return async (args: ActionArgs): Promise<void> => {
    const { logger, directory } = services;
    const press = readPress(args);
    const userId = args.body.user.id;
    if (!press) {
      logger.log(LogLevel.WARN, 'button press with a malformed value', { userId, action: kind });
      await args.ack();
      return;
    }
    const actor: Actor = { userId, currentRoles: directory.rolesOf(userId) };
    let outcome: CommandOutcome;
    try {
      outcome = await services.backend.runCommand(press.momentId, pressedOn(commandFor(kind, actor, press, directory.roster()), press.stamp), press.replyTo, press.key, press.fromHome);
    } catch (error) {
      await args.ack();
      await respondUnsaved(args, unsavedAnswer(logger, 'press', error, { momentId: press.momentId, userId, action: kind }));
      return;
    }
    await args.ack();
    const fields = { momentId: press.momentId, userId, action: kind };
    if (outcome.kind === 'done') logger.log(LogLevel.INFO, 'decision recorded', { ...fields, status: outcome.view.moment.state.status });
    else if (outcome.kind === 'refused') logger.log(LogLevel.INFO, 'decision refused', { ...fields, code: outcome.code });
    // A press in App Home has nowhere to be answered: the Home itself is published again as the moment now is (by the
    // press's own transaction when it was recorded).
    if (press.fromHome && outcome.kind !== 'done') await republishHome(services, userId, fields);
    services.backend.notify();
  };
}

/** A form asked for on a moment whose time for this step ran out, before the deadline's sweep or the next press applies it. */
export const OUT_OF_TIME = 'The time for this step just ran out: the moment is moving on (to the next tier, or it expires). The card shows where it stands in a moment.';

/** The buttons that open a modal to ask for text first: the modal is their confirmation. */
export type ModalAction = 'reject' | 'request_changes' | 'revise';

/**
 * What each modal button checks before its modal opens (a dry run of the decider with placeholder text, so the
 * modal opens only for someone whose submit could be accepted now), and the modal it opens.
 */
type Shown = { readonly revision: number; readonly tier?: number };
const MODAL_BUTTONS: Readonly<Record<ModalAction, { check: (view: MomentView, actor: Actor, shown: Shown) => Command; modal: typeof buildRejectModal }>> = {
  reject: { check: (_view, actor, { revision, tier }) => ({ kind: 'reject', actor, reason: '-', revision, fromTier: tier }), modal: buildRejectModal },
  request_changes: {
    check: (_view, actor, { revision, tier }) => ({ kind: 'request_changes', actor, comment: '-', revision, fromTier: tier }),
    modal: buildRequestChangesModal,
  },
  revise: { check: (view, actor, { revision }) => ({ kind: 'revise', actor, content: view.moment.content, revision }), modal: buildReviseModal },
};

/** Reject…, Request changes…, Revise…: checks the presser may do it now, then opens the modal that asks for the text. */
export function handleModalButton(services: Services, kind: ModalAction) {
  return async (args: ActionArgs): Promise<void> => {
    const { backend, logger, directory } = services;
    const press = readPress(args);
    const userId = args.body.user.id;
    await args.ack();
    if (!press) {
      logger.log(LogLevel.WARN, 'button press with a malformed value', { userId, action: kind });
      return;
    }
    let view: MomentView | undefined;
    let timedOut = false;
    try {
      // Read once it is durable: the modal shows the moment as read (see GroupCommit).
      const pressed = await backend.pressedView(press.momentId);
      view = pressed?.view;
      timedOut = pressed?.timedOut === true;
    } catch (error) {
      await respondUnsaved(args, unreadAnswer(logger, 'press', error, { momentId: press.momentId, userId, action: kind }));
      return;
    }
    const { check, modal } = MODAL_BUTTONS[kind];
    const now = services.clock();
    const checked = view ? decide(view, pressedOn(check(view, { userId, currentRoles: directory.rolesOf(userId) }, press), press.stamp), now) : undefined;
    const refusal = !view
      ? 'That moment no longer exists.'
      : checked && !checked.ok
        ? checked.message
        : // Its deadline fell due and is about to be applied (the submit would apply it, then refuse): no form to fill in vain.
          // One put off while a role is read leaves the tier deciding, as the submit would find it.
          timedOut
          ? OUT_OF_TIME
          : undefined;
    if (refusal !== undefined || !view) {
      logger.log(LogLevel.INFO, 'decision refused', { momentId: press.momentId, userId, action: kind, ...(checked && !checked.ok ? { code: checked.code } : {}) });
      if (press.fromHome) await republishHome(services, userId, { momentId: press.momentId, userId, action: kind });
      const notice = replyNotice(press.replyTo, refusal ?? '');
      if (!notice) {
        backend.notify();
        return;
      }
      try {
        // A moment that is gone has no outbox rows of its own, and one the presser has no part in is not named to them
        // (see refusalNamesMoment): the answer is queued as nobody's.
        const refused = checked && !checked.ok ? checked : undefined;
        const about = view && (refused === undefined || refusalNamesMoment(view, userId, refused)) ? press.momentId : undefined;
        await backend.answerOnce(about, press.key, notice);
      } catch (error) {
        await respondUnsaved(args, unsavedAnswer(logger, 'press', error, { momentId: press.momentId, userId, action: kind }));
        return;
      }
      backend.notify();
      return;
    }
    try {
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: modal(view, {
          momentId: press.momentId,
          revision: press.revision,
          ...(press.tier !== undefined ? { tier: press.tier } : {}),
          ...(press.stamp !== undefined ? { stamp: press.stamp } : {}),
          ...(press.fromHome ? { fromHome: true as const } : {}),
        }),
      });
    } catch (error) {
      // Slack refused the form (its trigger ran out, a slow moment): the person is told, through the outbox like every
      // answer after the ack (by DM, naming the moment, for a press in App Home), or they would wait for nothing.
      logger.log(LogLevel.WARN, 'decision form not opened', { momentId: press.momentId, userId, action: kind, error: String(error) });
      const notice = replyNotice(press.replyTo, DECISION_FORM_NOT_OPENED);
      if (!notice) return;
      try {
        await backend.answerOnce(press.momentId, press.key, notice);
      } catch (failed) {
        await respondUnsaved(args, unsavedAnswer(logger, 'press', failed, { momentId: press.momentId, userId, action: kind }));
        return;
      }
      backend.notify();
    }
  };
}

/** Said when Slack does not open a decision's form: nothing was decided, and pressing again opens it. */
export const DECISION_FORM_NOT_OPENED = 'Slack did not open the form in time, so nothing was decided. Press the button again.';

/**
 * Only for a database that failed: the outbox lives in it, so this one answer goes straight to Slack, to the press's
 * response_url, or for a press in App Home (which has none) to the person's DM with Greenlight.
 */
async function respondUnsaved(args: ActionArgs, text: string): Promise<void> {
  if (args.body.response_url) {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  await args.client.chat.postMessage({ channel: args.body.user.id, text });
}
