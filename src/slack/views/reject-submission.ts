import { LogLevel, type AllMiddlewareArgs, type SlackViewMiddlewareArgs, type ViewSubmitAction } from '@slack/bolt';
import type { CommandOutcome } from '../../workflow/run-command';
import { unsavedAnswer } from '../unsaved-answer';
import type { RejectContext } from '../blocks/reject-modal';
import { FIELD } from '../ids';
import type { Services } from '../services';
import { inputValue, parseJsonObject } from './view-values';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The reason modal's submit: a reason is required; the reject is recorded before the modal closes. */
export function handleRejectSubmission(services: Services) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const { logger, directory } = services;
    const userId = body.user.id;
    const context = readRejectContext(view.private_metadata);
    if (!context) {
      logger.log(LogLevel.WARN, 'reject modal with unreadable metadata', { userId });
      await ack({ response_action: 'errors', errors: { [FIELD.reason.block]: 'This form is out of date: press Reject on the card again.' } });
      return;
    }
    const reason = inputValue(view, FIELD.reason.block, FIELD.reason.input).trim();
    if (reason === '') {
      await ack({ response_action: 'errors', errors: { [FIELD.reason.block]: 'A reason is required to reject: the flagger needs to know why.' } });
      return;
    }
    let outcome: CommandOutcome;
    try {
      outcome = await services.backend.runCommand(
        context.momentId,
        { kind: 'reject', actor: { userId, currentRoles: directory.rolesOf(userId) }, reason, revision: context.revision },
        // Refusals are shown in the modal itself, so nothing is queued for them.
        { userId, channel: undefined, responseUrl: undefined },
        `view:${view.id}`,
      );
    } catch (error) {
      const text = unsavedAnswer(logger, 'reject', error, { momentId: context.momentId, userId, action: 'reject' });
      await ack({ response_action: 'errors', errors: { [FIELD.reason.block]: text } });
      return;
    }
    const fields = { momentId: context.momentId, userId, action: 'reject' };
    if (outcome.kind === 'refused') {
      logger.log(LogLevel.INFO, 'decision refused', { ...fields, code: outcome.code });
      await ack({ response_action: 'errors', errors: { [FIELD.reason.block]: outcome.message } });
      return;
    }
    await ack();
    if (outcome.kind === 'done') logger.log(LogLevel.INFO, 'decision recorded', { ...fields, status: outcome.view.moment.state.status });
    services.backend.notify();
  };
}

function readRejectContext(raw: string | undefined): RejectContext | undefined {
  const value = parseJsonObject(raw);
  if (!value) return undefined;
  const { momentId, revision, channel, responseUrl } = value;
  if (typeof momentId !== 'number' || typeof revision !== 'number') return undefined;
  return {
    momentId,
    revision,
    channel: typeof channel === 'string' ? channel : undefined,
    responseUrl: typeof responseUrl === 'string' ? responseUrl : undefined,
  };
}
