import type { types } from '@slack/bolt';
import type { MomentView } from '../../core/moment';
import { FIELD, VIEW } from '../ids';
import { boldTitle, mrkdwn } from './mrkdwn';

/** What the reject modal carries back on submit. */
export interface RejectContext {
  readonly momentId: number;
  readonly revision: number;
  readonly channel: string | undefined;
  readonly responseUrl: string | undefined;
}

/** Rejecting is final, so the modal is the confirmation: it says so and asks for the reason. */
export function buildRejectModal(view: MomentView, context: RejectContext): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.reject,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Reject this moment?' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`${boldTitle(view.moment.content.title, 200)}\nOne reject is final: the moment will not be posted. The flagger sees your reason.`),
      },
      {
        type: 'input',
        block_id: FIELD.reason.block,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: FIELD.reason.input, multiline: true, max_length: 2000 },
      },
    ],
  };
}
