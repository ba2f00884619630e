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
