import type { types } from '@slack/bolt';
import { graphemeFloor } from '../../core/graphemes';
import { CJK_PUNCTUATION } from '../../core/quick-flag';
import { inWords } from '../../core/words';

/**
 * Every mrkdwn text Greenlight writes is verbatim: Slack then parses nothing on its own (a typed `@channel`,
 * `@here` or channel name stays text; the slash command sends text unescaped), and only the mentions, dates and
 * links Greenlight writes itself in `<…>` form take effect. The cost: a bare URL in someone's copy is not linked.
 */
export function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/**
 * User text goes into mrkdwn only through `escapeText`: Slack's three control characters become
 * entities, so `<!channel>`, `<@U…>` or a fake link typed by someone pings and links nobody.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `text` and cuts it so the escaped result, with "…", fits in `max` characters.
 * Cuts between escape entities and never inside an emoji (see graphemeFloor).
 */
export function escapeAndCut(text: string, max: number): string {
  // Escaping only lengthens: a text longer than `max` is cut without escaping all of it first (quoteAndCut calls this
  // a dozen times on a whole message).
  if (text.length <= max) {
    const escaped = escapeText(text);
    if (escaped.length <= max) return escaped;
  }
  let length = 0;
  let used = 0;
  for (const char of text) {
    const piece = char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;
    if (length + piece > max - 1) break;
    length += piece;
    used += char.length;
  }
  return `${escapeText(text.slice(0, graphemeFloor(text, used)))}…`;
}

/**
 * A person's title in bold: escaped, cut, its own asterisks turned into the look-alike "∗" (U+2217) and its line
 * breaks into spaces, or a title like "2*3 deals" would end the bold early (and Slack's bold never spans lines),
 * leaving stray asterisks on show. Only titles are changed so: the copy, which is what gets posted, is always
 * quoted as typed.
 */
export function boldTitle(title: string, max: number): string {
  return `*${titleText(title, max)}*`;
}

/**
 * A person's title as one line of mrkdwn that no markup of its own can change (see boldTitle): for a link's label,
 * where "2*3 packs, get a 5* off" would turn half the label bold. Trimmed: Slack does not bold across a space next to
 * the asterisks (a title stored before titles were trimmed).
 */
export function titleText(title: string, max: number): string {
  return escapeAndCut(withoutDirectionControls(title).replace(/\*/g, '∗').replace(/\r\n|[\r\n]/g, ' ').trim(), max);
}

/** A person's title as plain text inside a notification's sentence (escaped, cut, no direction controls). */
export function plainTitle(title: string, max: number): string {
  return escapeAndCut(withoutDirectionControls(title), max);
}

/**
 * Text set inside Greenlight's own sentence (a title, a name) without the characters that turn the direction of what
 * follows them (embeddings, overrides, isolates): a title ending in an open right-to-left override would read "was
 * rejected by …" backwards to the end of the line. Marks that only hint a direction (U+200E, U+200F) stay.
 */
export function withoutDirectionControls(text: string): string {
  return text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
}

/**
 * Joins whole lines (under `head` when given) within `max` characters, ending with "… and N more" when some
 * do not fit: a line is never cut, so no link, entity or emoji is left broken. `unlisted`: more that were not even
 * passed (a list read up to a limit), counted in N; `orMore` when that count is itself a floor ("80+"); `moreAbout`
 * follows "… and N more" (where they are).
 */
export function fitLines(lines: readonly string[], max: number, head?: string, unlisted = 0, orMore = false, moreAbout = ''): string {
  const kept = head === undefined ? [] : [head];
  const more = (n: number) => `… and ${n}${orMore ? '+' : ''} more${moreAbout}`;
  let length = head?.length ?? -1;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const reserve = i < lines.length - 1 || unlisted > 0 ? 40 + moreAbout.length : 0;
    if (length + 1 + line.length + reserve > max) return [...kept, more(lines.length - i + unlisted)].join('\n');
    kept.push(line);
    length += 1 + line.length;
  }
  return (unlisted > 0 ? [...kept, more(unlisted)] : kept).join('\n');
}

/** Roles named in a sentence, each in bold: a handful at most, the rest counted, so a sentence never outgrows its block. */
export function roleNames(roles: readonly string[], last: 'and' | 'or'): string {
  return inWords(roles.map((r) => `*${escapeAndCut(r, 60)}*`), last);
}

/**
 * Cuts plain text (plain_text fields are never parsed for mentions) to `max` UTF-16 units, the
 * unit Slack's limits are counted in, with "…", never inside an emoji (see graphemeFloor).
 */
export function cutPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, graphemeFloor(text, max - 1))}…`;
}

/**
 * User text escaped, cut and quoted so that the whole quote fits in `max` characters: each line's
 * "> " counts too, so the cut is searched for rather than guessed. `links`: its bare http(s) URLs are made links (see
 * linkBareUrls), for a reviewer's reason or request, where a URL is an asset to open, often on a phone.
 */
export function quoteAndCut(text: string, max: number, links = false): string {
  const shown = (escaped: string) => quote(links ? linkBareUrls(escaped) : escaped);
  // Escaping and quoting only lengthen: text longer than `max` is not quoted whole (a message holds 40,000 characters,
  // 40,000 line breaks made as many quoted lines to throw away, twice per card).
  if (text.length <= max) {
    const whole = shown(escapeText(text));
    if (whole.length <= max) return whole;
  }
  let best = '';
  let low = 1;
  let high = max;
  while (low <= high) {
    const budget = Math.floor((low + high) / 2);
    const candidate = shown(escapeAndCut(text, budget));
    if (candidate.length <= max) {
      best = candidate;
      low = budget + 1;
    } else {
      high = budget - 1;
    }
  }
  return best;
}

/**
 * User text escaped and quoted over up to `most` sections of at most `max` characters each, `total` at most in all,
 * broken at a line end near the limit, else at a space, never inside an emoji: a copy longer than one section is shown
 * whole, as far as the sections hold it (reviewers approve what they read). `cut` when even those do not: the last
 * then ends with "…".
 */
export function quotedSections(text: string, max: number, most: number, total = max * most): { sections: string[]; cut: boolean } {
  const sections: string[] = [];
  let rest = text;
  let left = total;
  // Escaping and quoting only lengthen: a rest longer than a section is never escaped whole (a message holds 40,000).
  const fits = (part: string, room: number) => part.length <= room && quote(escapeText(part)).length <= room;
  // A section of its own while the sections after it still have room; the last takes what is left, cut.
  while (sections.length < most - 1 && left > max && !fits(rest, max)) {
    const end = breakBefore(rest, fittingPrefix(rest, max));
    const part = quote(escapeText(rest.slice(0, end).replace(/\n$/, '')));
    sections.push(part);
    left -= part.length;
    rest = rest.slice(end);
  }
  const room = Math.max(1, Math.min(max, left));
  return { sections: [...sections, quoteAndCut(rest, room)], cut: !fits(rest, room) };
}

/** The most characters of `text` that, escaped and quoted, fit in `max` (escaping and quoting only lengthen). */
function fittingPrefix(text: string, max: number): number {
  let low = 1;
  let high = Math.min(text.length, max);
  while (low < high) {
    const n = Math.ceil((low + high) / 2);
    if (quote(escapeText(text.slice(0, n))).length <= max) low = n;
    else high = n - 1;
  }
  return low;
}

/** Where to end a section of `text` taking at most `n` characters: after a line break or a space in its second half, else at `n`. */
function breakBefore(text: string, n: number): number {
  if (n >= text.length) return text.length;
  const line = text.lastIndexOf('\n', n - 1);
  if (line >= n / 2) return line + 1;
  const space = text.lastIndexOf(' ', n - 1);
  if (space >= n / 2) return space + 1;
  return Math.max(1, graphemeFloor(text, n));
}

/** The text Slack counts in blocks: every text object's, however deep (sections, contexts, buttons, confirms). */
export function blockText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + blockText(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  return Object.entries(value).reduce((sum, [key, item]) => sum + (key === 'text' && typeof item === 'string' ? item.length : blockText(item)), 0);
}

/** A quoted block of already-escaped text: every line starts with Slack's quote marker. */
export function quote(escaped: string): string {
  return escaped
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * A Slack date token: each reader sees the time in their own zone. A time no Date holds (a moment stored under a
 * decide_within of centuries, before it was capped) reads as words, so its card and DMs still render.
 */
export function dateToken(epochMs: number, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(epochMs / 1000);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return 'a date too far off to show';
  return `<!date^${seconds}^${format}|${date.toISOString().replace('.000Z', 'Z')}>`;
}

/**
 * Escaped text with each bare http(s) URL made a link, as Slack would make it were the text not `verbatim` (which keeps
 * a typed "@channel" from pinging). A URL ends at a space, a character no link may hold, or a cut's "…"; sentence
 * punctuation after it stays outside. Its `&amp;` stays as escaped, as Slack wants it inside a link.
 */
export function linkBareUrls(escaped: string): string {
  return escaped.replace(BARE_URL, (found) => {
    const url = found.slice(0, urlEnd(found));
    return url.length > 'https://'.length ? `<${url}>${found.slice(url.length)}` : found;
  });
}

/**
 * A run that may be a URL: CJK punctuation ends it, as in a quick flag's link, since CJK writing puts no space after it,
 * and so do curly quotes, which Chinese writing puts around a URL with no space either.
 */
const BARE_URL = new RegExp(`\\bhttps?://[^\\s<>|…“”‘’${CJK_PUNCTUATION}]+`, 'gi');

/** Punctuation that closes a sentence or a quote around a URL rather than ends the URL, on a keyboard or a phone's. */
const AFTER_URL = new Set([...'.,;:!?\'"*_~)]`”’»」』）】。、，！？']);

/**
 * Where a run of URL characters ends as a URL: closing punctuation and escaped angle brackets are stripped from its end,
 * but not the `;` of an escaped `&` (`&amp;`), nor a `)` whose `(` is in the URL (`…/Foo_(bar)`). One pass from the end.
 */
function urlEnd(found: string): number {
  let end = found.length;
  let unclosed = 0;
  for (const char of found) unclosed += char === '(' ? 1 : char === ')' ? -1 : 0;
  while (end > 0) {
    if (found.startsWith('&amp;', end - 5)) break;
    if (found.startsWith('&gt;', end - 4) || found.startsWith('&lt;', end - 4)) {
      end -= 4;
      continue;
    }
    const last = found.charAt(end - 1);
    if (!AFTER_URL.has(last) || (last === ')' && unclosed >= 0)) break;
    if (last === ')') unclosed += 1;
    end -= 1;
  }
  return end;
}

/** Only http(s) links are rendered as links, and their text is escaped. */
export function safeLink(url: string | undefined, label?: string): string | undefined {
  if (url === undefined || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return undefined;
  return `<${url.replace(/&/g, '&amp;')}${label === undefined ? '' : `|${escapeAndCut(label, 80)}`}>`;
}
