import type { MomentContent, Urgency } from './moment';

export const TITLE_MAX = 120;

/**
 * Reads `/moment <text>`: "Title: copy" when a short title leads, otherwise the title is the
 * text's opening words and the copy is the whole text. The first link becomes the source link.
 */
export function readQuickFlag(text: string, urgency: Urgency = 'normal'): MomentContent {
  const clean = text.trim();
  const link = trimLink(/https?:\/\/[^\s<>|]+/.exec(clean)?.[0]);
  const colon = clean.indexOf(':');
  const head = colon > 0 ? clean.slice(0, colon) : '';
  if (colon > 0 && colon <= 80 && !/https?$/i.test(head) && clean.slice(colon + 1).trim() !== '') {
    return { title: head.trim(), copy: clean.slice(colon + 1).trim(), link, urgency };
  }
  return { title: openingWords(clean, 60), copy: clean, link, urgency };
}

export function openingWords(text: string, max: number): string {
  const firstLine = text.split('\n')[0] ?? '';
  if (firstLine.length <= max) return firstLine;
  // Never half an emoji: a lone surrogate is stored by SQLite as U+FFFD, so the title would change once stored.
  const cut = isHighSurrogate(firstLine.charCodeAt(max - 1)) ? firstLine.slice(0, max - 1) : firstLine.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A link at the end of a sentence does not take the sentence's punctuation (or an unbalanced bracket) with it. */
function trimLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  let out = link.replace(/[.,;:!?'"]+$/, '');
  while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) out = out.slice(0, -1).replace(/[.,;:!?'"]+$/, '');
  return out;
}
