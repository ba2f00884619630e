import type { types } from '@slack/bolt';
import type { MomentView } from '../../core/moment';
import { FIELD, VIEW } from '../ids';
import { copyInput, copyPrefill, linkInput, titleInput, urgencyInput } from './flag-modal';
import { boldTitle, mrkdwn, quoteAndCut } from './mrkdwn';

/**
 * What a decision modal carries back on submit: the moment, revision and tier it was opened on. Not where it was opened:
 * the submit answers in the form itself, and a press's response_url would only be one more secret in view of anyone
 * who logs Slack's payloads.
 */
export interface DecisionContext {
  readonly momentId: number;
  readonly revision: number;
  /** The tier the pressed card or DM showed (none on forms opened before it was kept). */
  readonly tier?: number;
  /** The stamp of the moment the pressed button was for (see Moment); none on forms opened before it was kept. */
  readonly stamp?: string;
  /** Opened from the presser's App Home, which is published again once the decision is in. */
  readonly fromHome?: true;
}

/** Rejecting is final, so the modal is the confirmation: it says so and asks for the reason. */
export function buildRejectModal(view: MomentView, context: DecisionContext): types.ModalView {
  return decisionModal(VIEW.reject, context, { title: 'Reject this moment?', submit: 'Reject' }, [
    {
      type: 'section',
      text: mrkdwn(`${boldTitle(view.moment.content.title, 200)}\nOne reject is final: the moment will not be posted. Your reason is shown on the card and to the flagger.`),
    },
    {
      type: 'input',
      block_id: FIELD.reason.block,
      label: { type: 'plain_text', text: 'Reason' },
      element: { type: 'plain_text_input', action_id: FIELD.reason.input, multiline: true, max_length: 2000 },
    },
  ]);
}

/** A reviewer asks the flagger for a new revision: what should change is required, the flagger is shown it. */
export function buildRequestChangesModal(view: MomentView, context: DecisionContext): types.ModalView {
  return decisionModal(VIEW.requestChanges, context, { title: 'Request changes', submit: 'Send to the flagger' }, [
    {
      type: 'section',
      text: mrkdwn(
        `${boldTitle(view.moment.content.title, 200)}\nThe flagger is asked for a new revision, with what you write here (also shown on the card); ` +
          'until it comes nobody can approve, and approvals given so far no longer count once it does.',
      ),
    },
    {
      type: 'input',
      block_id: FIELD.changes.block,
      label: { type: 'plain_text', text: 'What should change' },
      element: { type: 'plain_text_input', action_id: FIELD.changes.input, multiline: true, max_length: 2000 },
    },
  ]);
}

/**
 * The flagger's new revision: the moment's title, copy, link and urgency to edit, under what the reviewer asked for.
 * The topic stays (its reviewers are the ones waiting for the revision).
 */
export function buildReviseModal(view: MomentView, context: DecisionContext): types.ModalView {
  const { content, state } = view.moment;
  const asked = state.status === 'changes_requested' ? `<@${state.by}> asked for changes:\n${quoteAndCut(state.comment, 2500, true)}` : '';
  return decisionModal(VIEW.revise, context, { title: 'Revise the moment', submit: 'Send the revision' }, [
    ...(asked ? [{ type: 'section' as const, text: mrkdwn(asked) }] : []),
    titleInput(content.title),
    copyInput(content.copy, copyPrefill(content.copy) === content.copy ? undefined : 'The copy is longer than this field shows: the whole copy is kept unless you edit it.'),
    linkInput(content.link),
    urgencyInput(content.urgency),
  ]);
}

/** A decision modal: its callback, the context it carries back on submit, its title and submit label, its blocks. */
function decisionModal(callbackId: string, context: DecisionContext, labels: { title: string; submit: string }, blocks: types.KnownBlock[]): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: labels.title },
    submit: { type: 'plain_text', text: labels.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
