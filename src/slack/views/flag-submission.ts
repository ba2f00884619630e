import { LogLevel, type AllMiddlewareArgs, type SlackViewMiddlewareArgs, type ViewSubmitAction } from '@slack/bolt';
import { chooseTopic, mistypedTopicTag } from '../../core/routing';
import type { Routing } from '../../core/routing-types';
import type { FlagOutcome } from '../../workflow/record-flag';
import { flaggedAlready, flaggedBefore, storeFlag } from '../store-through';
import { unsavedAnswer } from '../unsaved-answer';
import { formOrigin } from '../flag-origin';
import { wordsFingerprint } from '../message-words';
import { FIELD } from '../ids';
import type { Services } from '../services';
import { readContentFields } from './content-fields';
import { selectedValue } from './view-values';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export const OPENED_BEFORE_UPDATE = 'This form was opened before Greenlight was updated, so it can no longer be sent. Close it and use *Flag moment* on the message again.';
export const ORIGIN_NOT_KEPT = 'This form is more than a day old, so Greenlight no longer knows which message it was opened on. Close it and use *Flag moment* on the message again.';

/** The flag form's submit: every field checked, errors shown next to the field, the moment stored before the modal closes. */
export function handleFlagSubmission(services: Services) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const { backend, logger, routing } = services;
    const userId = body.user.id;
    let origin: ReturnType<typeof formOrigin>;
    try {
      origin = formOrigin(backend, view.private_metadata, userId);
    } catch (error) {
      // Answered in the form, within Slack's 3 s: thrown, it would leave the form spinning into Slack's own error.
      await ack({ response_action: 'errors', errors: { [FIELD.title.block]: unsavedAnswer(logger, 'flag', error, { userId, action: 'flag' }) } });
      return;
    }
    // Sent as it is, it would be flagged without its message (no thread told, flaggable again) and a long one cut.
    if (origin === 'not_kept' || origin === 'opened_before') {
      logger.log(LogLevel.WARN, 'flag form refused: its origin is not kept for this person', { userId, action: 'flag', reason: origin });
      await ack({ response_action: 'errors', errors: { [FIELD.title.block]: origin === 'not_kept' ? ORIGIN_NOT_KEPT : OPENED_BEFORE_UPDATE } });
      return;
    }
    // The field showed a shortened long message: unless the person edited it, the whole message is the copy.
    const fields = readContentFields(view, origin.whole);
    const topicName = selectedValue(view, FIELD.topic.block, FIELD.topic.input);
    const errors: Record<string, string> = fields.ok ? {} : { ...fields.errors };
    const text = fields.ok ? `${fields.content.title} ${fields.content.copy}` : '';
    const chosen = chooseTopic(routing, text, topicName);
    if (!chosen.ok) errors[FIELD.topic.block] = chosen.message;
    // With no topic picked, a mistyped `#topic` opening or ending the title or the copy would send the moment to other
    // reviewers without a word: asked about, as /moment does (read both ways round, so each field's start and end is
    // an edge; a real topic tag anywhere turns the check off).
    const mistyped = !fields.ok || topicName !== undefined ? undefined : mistypedTopicTag(routing, text) ?? mistypedTopicTag(routing, `${fields.content.copy} ${fields.content.title}`);
    if (mistyped !== undefined) {
      errors[FIELD.topic.block] = `There is no topic named #${mistyped.tag}: did you mean #${mistyped.meant}? Pick the topic here, or correct the tag.`;
    }
    if (!fields.ok || !chosen.ok || mistyped !== undefined) {
      logger.log(LogLevel.INFO, 'flag form refused', { userId, action: 'flag', fields: Object.keys(errors).join(',') });
      await ack({ response_action: 'errors', errors });
      return;
    }
    // With no topic picked, a #topic tag opening or ending the copy is an instruction, as with /moment: it goes.
    const content = topicName === undefined ? { ...fields.content, copy: copyWithoutTopicTag(routing, fields.content.copy, chosen.choice.topic.name) } : fields.content;
    // Words changed in the form are not the message's: its thread is not told to go post what is above it.
    const edited = origin.source !== undefined && wordsFingerprint(fields.content.copy) !== origin.copyShown;
    const source = origin.source && edited ? { ...origin.source, edited: true as const } : origin.source;
    let outcome: FlagOutcome;
    try {
      outcome = await storeFlag(
        services,
        { flaggerId: userId, content, topic: chosen.choice.topic, source },
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
      const { text } = await flaggedAlready(services, outcome.momentId);
      await ack({ response_action: 'errors', errors: { [FIELD.title.block]: text } });
      return;
    }
    if (outcome.kind === 'repeat') {
      logger.log(LogLevel.INFO, 'flag repeated', { momentId: outcome.momentId, userId, action: 'flag' });
      await ack({ response_action: 'errors', errors: { [FIELD.title.block]: await flaggedBefore(services, outcome.momentId, content.urgency === 'high') } });
      return;
    }
    await ack();
    if (outcome.kind === 'flagged') {
      logger.log(LogLevel.INFO, 'moment flagged', { momentId: outcome.momentId, userId, action: 'flag', topic: chosen.choice.topic.name });
    }
    backend.notify();
  };
}

/** `copy` without a leading or trailing `#topic` tag for `topic`; as typed when that would leave nothing. */
function copyWithoutTopicTag(routing: Routing, copy: string, topic: string): string {
  const tagged = chooseTopic(routing, copy);
  return tagged.ok && tagged.choice.topic.name === topic && tagged.choice.text.trim() !== '' ? tagged.choice.text : copy;
}
