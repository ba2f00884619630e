import type { MomentContent, Urgency } from './moment';
import { graphemeFloor } from './graphemes';
import { isBlank } from './words';

export const TITLE_MAX = 120;

/**
 * Reads `/moment <text>`: "Title: copy" when a short title leads (a colon followed by a space, so "10:30" is no
 * title), otherwise the title is the text's opening words and the copy is the whole text. The first link becomes the
 * source link. A lone "Title:" reads as a title with no copy, which the flag refuses.
 */
export function readQuickFlag(text: string, urgency: Urgency = 'normal', markedLink?: string): MomentContent {
  const clean = text.trim();
  // The link Slack marked in the command's text (its end known), else the first one found in its words.
  const link = markedLink ?? firstLink(clean);
  const head = leadingTitle(clean);
  if (head !== undefined) return { title: head.title, copy: head.rest, link, urgency };
  // "Title:" and nothing after it (the #topic that followed was taken off): the copy was forgotten, not the title.
  const bare = /^([^\n:]{1,80}):$/.exec(clean)?.[1]?.trim();
  if (bare) return { title: withoutMarks(bare) || bare, copy: '', link, urgency };
  return { title: openingWords(clean, 60), copy: clean, link, urgency };
}

/**
 * Reads a flagged message: its words are the copy to approve, whole ("Breaking: we are recalling…" keeps
 * "Breaking:"); the title is a leading "Title:" when there is one, else the opening words.
 */
export function readFlaggedMessage(text: string, markedLink?: string): MomentContent {
  const clean = text.trim();
  // The link the message's own markup marked (its end known), else the first one found in its words.
  const link = markedLink ?? firstLink(clean);
  return { title: leadingTitle(clean)?.title ?? openingWords(clean, 60), copy: clean, link, urgency: 'normal' };
}

/**
 * "Title: rest" with a title of at most 80 characters on the first line, holding no colon (so neither a time nor an
 * emoji code like ":rotating_light:" reads as a title), and something after it.
 */
function leadingTitle(clean: string): { title: string; rest: string } | undefined {
  const match = /^([^\n:]{1,80}):\s/.exec(clean);
  if (!match?.[1] || /https?$/i.test(match[1])) return undefined;
  const rest = clean.slice(match[0].length).trim();
  const title = withoutMarks(match[1]);
  // A "title" of only invisible characters (a zero-width space before the colon) would be a card's blank title.
  return rest === '' || isBlank(title) ? undefined : { title, rest };
}

/**
 * A line without the formatting marks around it (`*Flash sale*`, `_new_`, `~old~`, `` `code` ``): the title is shown
 * in bold already, where the marks would show as typed.
 */
function withoutMarks(line: string): string {
  const trimmed = line.trim();
  // Scanned, not matched with a backtracking pattern: a line of 40,000 marks took seconds.
  let open = 0;
  while (open < trimmed.length && MARKS.has(trimmed.charAt(open))) open += 1;
  // A line of marks alone (a code block's fence) holds no words.
  if (open === trimmed.length) return '';
  let close = trimmed.length;
  while (close > open && MARKS.has(trimmed.charAt(close - 1))) close -= 1;
  const opening = trimmed.slice(0, open);
  const inner = trimmed.slice(open, close);
  // Only marks that open and close the whole line alike: "_new_ thing" and "*Flash* sale *now*" keep their own.
  const wraps = opening !== '' && trimmed.slice(close) === [...opening].reverse().join('') && ![...new Set(opening)].some((mark) => inner.includes(mark));
  return wraps ? inner.trim() : trimmed;
}

/** Slack's formatting marks: bold, italic, strike, code. */
const MARKS: ReadonlySet<string> = new Set(['*', '_', '~', '`']);

export function openingWords(text: string, max: number): string {
  // Trimmed: a title is shown in bold, which Slack does not close after a space ("*Big game *" reads as typed). A code
  // block's fence is no words: the title is the first line holding some.
  const words = text.split('\n').find((line) => !isBlank(withoutMarks(line)));
  // Marks and nothing else ("***"): shown as they are, which beats no title.
  const firstLine = words === undefined ? (text.split('\n')[0] ?? '').trim() : withoutMarks(words);
  if (firstLine.length <= max) return firstLine;
  // Never half an emoji: a lone surrogate is stored by SQLite as U+FFFD, so the title would change once stored; and a
  // family or a flag cut in two reads as someone else.
  const cut = firstLine.slice(0, graphemeFloor(firstLine, max));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The text's first http(s) link: the moment's source link. */
/** CJK punctuation, which no address holds: a link ends there, since CJK writing puts no space after it. */
export const CJK_PUNCTUATION = '。、，！？：；「」『』（）【】《》';
const LINK = new RegExp(`https?://[^\\s<>|${CJK_PUNCTUATION}]+`);

function firstLink(text: string): string | undefined {
  return trimLink(LINK.exec(text)?.[0]);
}

/** What a sentence may end with after a link: punctuation, quotes, the marks of bold, code and strike-through typed around it. */
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '*', '`', '~', '”', '’', '»']);

/**
 * A link at the end of a sentence does not take the sentence's punctuation (or an unbalanced bracket) with it. One
 * pass from the end, brackets counted once: a message may hold 40,000 characters, and work that grew with the square
 * of a run of ")" held the event loop for minutes.
 */
function trimLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  let open = 0;
  let close = 0;
  for (const char of link) {
    if (char === '(') open += 1;
    else if (char === ')') close += 1;
  }
  let end = link.length;
  for (;;) {
    while (end > 0 && TRAILING_PUNCTUATION.has(link.charAt(end - 1))) end -= 1;
    if (end === 0 || link.charAt(end - 1) !== ')' || open >= close) break;
    end -= 1;
    close -= 1;
  }
  return link.slice(0, end);
}
