const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How far either side of a cut is read: a grapheme (a family emoji, a flag, a letter and its accents) is far shorter. */
const WINDOW = 64;

/**
 * The last grapheme boundary at or before `index` in `text`, so a cut there leaves no emoji in pieces (a family emoji
 * cut after its first person, a flag after its first letter, a skin tone without its hand). Only a window around the
 * index is segmented: a message may be 40,000 characters, and cuts are searched for many times over.
 */
export function graphemeFloor(text: string, index: number): number {
  if (index <= 0) return 0;
  if (index >= text.length) return text.length;
  const start = Math.max(0, index - WINDOW);
  let floor = start;
  for (const { index: at } of segmenter.segment(text.slice(start, Math.min(text.length, index + WINDOW)))) {
    if (start + at > index) break;
    floor = start + at;
  }
  return floor;
}
