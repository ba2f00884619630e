import type { OpenedView } from '../../src/sandbox/slack-stand-in';
import type { FlagOrigin } from '../../src/slack/blocks/flag-modal';
import { formOrigin, keepFormOrigin } from '../../src/slack/flag-origin';
import type { Harness } from './harness';
import type { ViewValues } from './slack-requests';

/** `userId` presses `action` (a button whose value is `value`) and the form it opens is returned. */
export async function openForm(h: Harness, userId: string, action: string, value: string): Promise<OpenedView> {
  const before = h.standIn.openedViews().length;
  expect((await h.click(userId, action, value)).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.openedViews().length > before, 3000, `the form of ${action}`);
  const form = h.standIn.openedViews().at(-1);
  if (!form) throw new Error('no form opened');
  return form;
}

/** The value the first button of a message's blocks carries (a DM's or a card's, all of whose buttons carry the same). */
export function buttonValueOf(blocks: unknown): string {
  return /"value":"([^"]+)"/.exec(JSON.stringify(blocks ?? []))?.[1] ?? '';
}

/** A form's values as it opened (its initial values), with `edits` by block id: what a person submits. */
export function submittedAsOpened(form: OpenedView, edits: Partial<Record<string, string>> = {}): ViewValues {
  const values: ViewValues = {};
  for (const block of form.view.blocks as { type: string; block_id?: string; element?: Record<string, unknown> }[]) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const { type, action_id: actionId, initial_value: initial, initial_option: option } = block.element as {
      type: string;
      action_id: string;
      initial_value?: string;
      initial_option?: { value: string };
    };
    const edited = edits[block.block_id];
    values[block.block_id] = {
      [actionId]: type === 'radio_buttons' ? { type, selected_option: { value: edited ?? option?.value ?? 'normal' } } : { type, value: edited ?? initial ?? null },
    };
  }
  return values;
}

/** The origin Greenlight kept for a flag form `userId` opened (see FlagFormMetadata); `not_kept` for another person. */
export function keptOrigin(h: Harness, form: OpenedView, userId: string): ReturnType<typeof formOrigin> {
  return formOrigin({ draftText: (key) => h.app.store.flagDrafts.text(key) }, String(form.view.private_metadata), userId);
}

/** A flag form's metadata as Greenlight writes it for `userId` opened on a message: its origin kept in the store. */
export async function flagFormMetadata(h: Harness, userId: string, origin: FlagOrigin): Promise<string> {
  const metadata = await keepFormOrigin({ putDraft: async (key, text) => h.app.store.flagDrafts.put(key, text, h.now()) }, userId, origin);
  return JSON.stringify(metadata);
}
