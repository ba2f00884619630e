import type { ViewOutput } from '@slack/bolt';
import type { MomentContent, Urgency } from '../../core/moment';
import { isBlank } from '../../core/words';
import { COPY_MAX, copyPrefill, TITLE_MAX } from '../blocks/flag-modal';
import { FIELD } from '../ids';
import { inputValue, selectedValue } from './view-values';

/** A moment's content as a form submitted it, or what is wrong with it, by block (shown next to the field). */
export type ContentFields = { readonly ok: true; readonly content: MomentContent } | { readonly ok: false; readonly errors: Record<string, string> };

/**
 * Reads and checks the title, copy, link and urgency fields (the flag form's and the revise form's). `whole`: the
 * whole text the copy field showed shortened; unless the person edited the field, it is the copy.
 */
export function readContentFields(view: ViewOutput, whole: string | undefined): ContentFields {
  const title = inputValue(view, FIELD.title.block, FIELD.title.input).trim();
  const typed = inputValue(view, FIELD.copy.block, FIELD.copy.input).trim();
  const unedited = whole !== undefined && typed === copyPrefill(whole).trim();
  const copy = unedited ? whole.trim() : typed;
  const link = inputValue(view, FIELD.link.block, FIELD.link.input).trim();
  const urgency: Urgency = selectedValue(view, FIELD.urgency.block, FIELD.urgency.input) === 'high' ? 'high' : 'normal';
  const errors: Record<string, string> = {};
  if (isBlank(title)) errors[FIELD.title.block] = 'Give the moment a short title.';
  if (title.length > TITLE_MAX) errors[FIELD.title.block] = `Keep the title under ${TITLE_MAX} characters.`;
  if (isBlank(copy)) errors[FIELD.copy.block] = 'Paste the copy you want approved.';
  // A message kept whole (unedited) is as long as Slack let it be, and a reaction on it takes it whole too: the limit is
  // for what is typed here, which the person can shorten.
  if (!unedited && copy.length > COPY_MAX) errors[FIELD.copy.block] = `Copy is limited to ${COPY_MAX} characters.`;
  if (link !== '' && !/^https?:\/\/[^\s<>|]+$/i.test(link)) errors[FIELD.link.block] = 'Use a full http(s) link, or leave it empty.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, content: { title, copy, link: link || undefined, urgency } };
}
