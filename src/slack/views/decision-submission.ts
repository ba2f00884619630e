import { LogLevel, type AllMiddlewareArgs, type SlackViewMiddlewareArgs, type ViewSubmitAction } from '@slack/bolt';
import { pressedOn, type Actor, type Command } from '../../core/decide';
import { isBlank } from '../../core/words';
import type { CommandOutcome } from '../../workflow/run-command';
import { unreadAnswer, unsavedAnswer } from '../unsaved-answer';
import { plainForModal } from '../slack-text';
import { republishHome } from '../republish-home';
import type { DecisionContext } from '../blocks/decision-modals';
import { FIELD } from '../ids';
import type { Services } from '../services';
import { readContentFields } from './content-fields';
import { inputValue, parseJsonObject } from './view-values';
import { within } from '../../within';

/** How long a refusal shown in the form waits for the name of the person it is about (the form answers within 3 s). */
const NAME_WAIT_MS = 1000;

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** What a decision modal's submit asks for, read from its fields: the command, or errors to show by the fields. */
type ReadCommand = (args: ViewArgs, actor: Actor, context: DecisionContext) => { command: Command } | { errors: Record<string, string> };

/** The reject modal: a reason is required (the flagger needs to know why). */
const readReject: ReadCommand = ({ view }, actor, context) => {
  const reason = inputValue(view, FIELD.reason.block, FIELD.reason.input).trim();
  if (isBlank(reason)) return { errors: { [FIELD.reason.block]: 'A reason is required to reject: the flagger needs to know why.' } };
  return { command: { kind: 'reject', actor, reason, revision: context.revision, fromTier: context.tier } };
};

/** The request changes modal: what should change is required (it is what the flagger revises by). */
const readRequestChanges: ReadCommand = ({ view }, actor, context) => {
  const comment = inputValue(view, FIELD.changes.block, FIELD.changes.input).trim();
  if (isBlank(comment)) return { errors: { [FIELD.changes.block]: 'Say what should change: the flagger revises the moment by it.' } };
  return { command: { kind: 'request_changes', actor, comment, revision: context.revision, fromTier: context.tier } };
};

/**
 * The revise modal: the moment's new content. The copy field showed the current copy, shortened when long: unless the
 * flagger edited it, the whole current copy is kept (read from the store: the modal carries no copy of it).
 */
function readRevise(services: Services): ReadCommand {
  return ({ view }, actor, context) => {
    const current = services.backend.contentOf(context.momentId);
    const fields = readContentFields(view, current?.copy);
    if (!fields.ok) return { errors: fields.errors };
    return { command: { kind: 'revise', actor, content: fields.content, revision: context.revision } };
  };
}

/** Where a refusal or a failure to save is shown: next to the modal's first field. */
const FIRST_FIELD = { reject: FIELD.reason.block, request_changes: FIELD.changes.block, revise: FIELD.title.block } as const;

/**
 * A decision modal's submit (Reject, Request changes, Revise): the fields are checked and the decision recorded
 * before the modal closes; a refusal (decided meanwhile, not theirs) is shown in the modal itself.
 */
export function handleDecisionSubmission(services: Services, kind: keyof typeof FIRST_FIELD) {
  const read: ReadCommand = kind === 'reject' ? readReject : kind === 'request_changes' ? readRequestChanges : readRevise(services);
  const firstField = FIRST_FIELD[kind];
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view } = args;
    const { logger, directory } = services;
    const userId = body.user.id;
    const context = readDecisionContext(view.private_metadata);
    if (!context) {
      logger.log(LogLevel.WARN, 'decision modal with unreadable metadata', { userId, action: kind });
      await ack({ response_action: 'errors', errors: { [firstField]: 'This form is out of date: press the button on the card again.' } });
      return;
    }
    const fields = { momentId: context.momentId, userId, action: kind };
    let asked: ReturnType<ReadCommand>;
    try {
      asked = read(args, { userId, currentRoles: directory.rolesOf(userId) }, context);
    } catch (error) {
      // A revision reads the moment's copy first: a failed read is answered in the form, within Slack's 3 s.
      await ack({ response_action: 'errors', errors: { [firstField]: unreadAnswer(logger, kind, error, fields) } });
      return;
    }
    if ('errors' in asked) {
      await ack({ response_action: 'errors', errors: asked.errors });
      return;
    }
    let outcome: CommandOutcome;
    try {
      outcome = await services.backend.runCommand(
        context.momentId,
        pressedOn(asked.command, context.stamp),
        // Refusals are shown in the modal itself, so nothing is queued for them.
        { userId, channel: undefined, responseUrl: undefined },
        `view:${view.id}`,
        context.fromHome === true,
      );
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [firstField]: unsavedAnswer(logger, kind, error, fields) } });
      return;
    }
    if (outcome.kind === 'refused') {
      logger.log(LogLevel.INFO, 'decision refused', { ...fields, code: outcome.code });
      // Whoever decided first is named: the one who lost wrote a reason, and should not have to open the card to learn
      // who overruled it. A name Slack is slow to give is left out rather than keep the form past Slack's 3 s.
      const mentioned = [...outcome.message.matchAll(/<@([UW][A-Z0-9]+)>/g)].map((match) => match[1] ?? '');
      const names = mentioned.length === 0 ? undefined : await within(services.names.namesOf(mentioned), NAME_WAIT_MS, () => new Map<string, string>());
      await ack({ response_action: 'errors', errors: { [firstField]: plainForModal(outcome.message, names) } });
      // Opened from the Home: it still lists the moment as it was when the form opened (decided by someone else since).
      if (context.fromHome) {
        await republishHome(services, userId, fields);
        services.backend.notify();
      }
      return;
    }
    await ack();
    if (outcome.kind === 'done') logger.log(LogLevel.INFO, 'decision recorded', { ...fields, status: outcome.view.moment.state.status });
    // Recorded, the press queued the Home itself, in its own transaction (see runCommand).
    if (context.fromHome && outcome.kind !== 'done') await republishHome(services, userId, fields);
    services.backend.notify();
  };
}

function readDecisionContext(raw: string | undefined): DecisionContext | undefined {
  const value = parseJsonObject(raw);
  if (!value) return undefined;
  const { momentId, revision, tier, stamp, fromHome } = value;
  if (typeof momentId !== 'number' || typeof revision !== 'number') return undefined;
  return {
    momentId,
    revision,
    ...(typeof tier === 'number' ? { tier } : {}),
    ...(typeof stamp === 'string' ? { stamp } : {}),
    ...(fromHome === true ? { fromHome } : {}),
  };
}
