import { LogLevel, type AllMiddlewareArgs, type SlackViewMiddlewareArgs, type ViewSubmitAction } from '@slack/bolt';
import type { Urgency } from '../../core/moment';
import { chooseTopic } from '../../core/routing';
import type { FlagOutcome } from '../../workflow/record-flag';
import { storeFlag } from '../store-through';
import { unsavedAnswer } from '../unsaved-answer';
import type { FlagOrigin } from '../blocks/flag-modal';
import { COPY_MAX, copyPrefill, TITLE_MAX } from '../blocks/flag-modal';
import { FIELD } from '../ids';
import type { Services } from '../services';
import { inputValue, parseJsonObject, selectedValue } from './view-values';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The flag form's submit: every field checked, errors shown next to the field, the moment stored before the modal closes. */
export function handleFlagSubmission(services: Services) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const { backend, logger, routing } = services;
    const userId = body.user.id;
    const origin = readOrigin(view.private_metadata);
    const title = inputValue(view, FIELD.title.block, FIELD.title.input).trim();
    const typed = inputValue(view, FIELD.copy.block, FIELD.copy.input).trim();
    // The field showed a shortened long message: unless the person edited it, the whole message is the copy.
    const whole = origin.draft ? backend.draftText(origin.draft) : undefined;
    const copy = whole !== undefined && typed === copyPrefill(whole).trim() ? whole.trim() : typed;
    const link = inputValue(view, FIELD.link.block, FIELD.link.input).trim();
    const topicName = selectedValue(view, FIELD.topic.block, FIELD.topic.input);
    const urgency: Urgency = selectedValue(view, FIELD.urgency.block, FIELD.urgency.input) === 'high' ? 'high' : 'normal';
    const errors: Record<string, string> = {};
    if (title === '') errors[FIELD.title.block] = 'Give the moment a short title.';
    if (title.length > TITLE_MAX) errors[FIELD.title.block] = `Keep the title under ${TITLE_MAX} characters.`;
    if (copy === '') errors[FIELD.copy.block] = 'Paste the copy you want approved.';
    if (copy.length > COPY_MAX) errors[FIELD.copy.block] = `Copy is limited to ${COPY_MAX} characters.`;
    if (link !== '' && !/^https?:\/\/[^\s<>|]+$/i.test(link)) errors[FIELD.link.block] = 'Use a full http(s) link, or leave it empty.';
    const chosen = chooseTopic(routing, `${title} ${copy}`, topicName);
    if (!chosen.ok) errors[FIELD.topic.block] = chosen.message;
    if (Object.keys(errors).length > 0 || !chosen.ok) {
      logger.log(LogLevel.INFO, 'flag form refused', { userId, action: 'flag', fields: Object.keys(errors).join(',') });
      await ack({ response_action: 'errors', errors });
      return;
    }
    let outcome: FlagOutcome;
    try {
      outcome = await storeFlag(
        services,
        { flaggerId: userId, content: { title, copy, link: link || undefined, urgency }, topic: chosen.choice.topic, source: origin.source },
        { userId, channel: origin.channel, responseUrl: undefined },
        `view:${view.id}`,
      );
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [FIELD.title.block]: unsavedAnswer(logger, 'flag', error, { userId, action: 'flag' }) } });
      return;
    }
    if (outcome.kind === 'refused') {
      await ack({ response_action: 'errors', errors: { [FIELD.topic.block]: outcome.message } });
      return;
    }
    if (outcome.kind === 'duplicate' && outcome.momentId !== undefined) {
      const card = await backend.cardOf(outcome.momentId);
      const where = card?.permalink ?? 'its card is on its way';
      await ack({ response_action: 'errors', errors: { [FIELD.title.block]: `This message is already under review as moment #${outcome.momentId}: ${where}` } });
      return;
    }
    await ack();
    if (outcome.kind === 'flagged') {
      logger.log(LogLevel.INFO, 'moment flagged', { momentId: outcome.momentId, userId, action: 'flag', topic: chosen.choice.topic.name });
    }
    backend.notify();
  };
}

function readOrigin(raw: string | undefined): FlagOrigin {
  const value = parseJsonObject(raw) ?? {};
  const source = typeof value.source === 'object' && value.source !== null ? (value.source as Record<string, unknown>) : undefined;
  return {
    channel: typeof value.channel === 'string' ? value.channel : undefined,
    source: source && typeof source.channel === 'string' && typeof source.ts === 'string' ? { channel: source.channel, ts: source.ts } : undefined,
    ...(typeof value.draft === 'string' ? { draft: value.draft } : {}),
  };
}
