/**
 * Characters that show nothing: zero-width spaces and joiners, direction marks, the word joiner, the byte order mark,
 * Hangul fillers, variation selectors, the Braille blank, the Arabic letter mark, interlinear annotation marks, tags.
 * `String#trim` keeps them, so text of only these reads as blank to people and not to it.
 */
const SHOWS_NOTHING = /[\s\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u061C\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

/** Whether `text` shows nothing at all to the person reading it (empty, spaces, or only invisible characters). */
export function isBlank(text: string): boolean {
  return text.replace(SHOWS_NOTHING, '') === '';
}

/**
 * Items in a sentence, as people write them: "a", "a and b", "a, b and c"; past `max`, the first ones and a count
 * ("a, b, c and 4 other roles"), so a sentence stays short however many there are. Items come formatted (bold,
 * quoted); `last` is the word before the last item ("and", or "or").
 */
export function inWords(items: readonly string[], last: 'and' | 'or', noun = 'role', max = 3): string {
  const named = items.slice(0, max);
  const others = items.length - named.length;
  if (others > 0) return `${named.join(', ')} ${last} ${others} other ${noun}${others === 1 ? '' : 's'}`;
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} ${last} ${named.at(-1) ?? ''}`;
}

/**
 * Edits between two short words: a letter added, dropped, changed, or two neighbours swapped ("sprots", "ROUTNG_FILE"):
 * how far a mistyped topic tag or setting name is from the one meant.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
