const SUBCOMMANDS = ['help', 'list', 'stats'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** What the text after `/moment` asks for. */
export type CommandWords =
  | { readonly kind: 'subcommand'; readonly name: Subcommand }
  /** `list mine`, `stats 7d`: the subcommand with words it does not take. */
  | { readonly kind: 'with_words'; readonly name: Subcommand }
  /** One word a slip of the thumb from a subcommand (`lsit`, `stat`): asked about, never flagged. */
  | { readonly kind: 'near'; readonly name: Subcommand }
  /** A lone word people try as a command Greenlight does not have (`withdraw 3`, `test`): answered, never flagged. */
  | { readonly kind: 'not_a_command'; readonly word: NotACommand }
  | { readonly kind: 'flag' };

/**
 * Words someone types after `/moment` as a command of their own: taking a flag back, asking how theirs stand, trying the
 * bot. Flagged, each would post a card titled "withdraw" and ping every reviewer of the topic.
 */
const NOT_COMMANDS = {
  withdraw: 'withdraw',
  cancel: 'withdraw',
  undo: 'withdraw',
  delete: 'withdraw',
  remove: 'withdraw',
  unflag: 'withdraw',
  retract: 'withdraw',
  status: 'status',
  mine: 'status',
  test: 'test',
  ping: 'test',
  hello: 'test',
  hi: 'test',
} as const;
export type NotACommand = (typeof NOT_COMMANDS)[keyof typeof NOT_COMMANDS];
/** Said alone to try the bot; followed by a number, the start of a post ("Hello 2026", "Hi 5"). */
const GREETINGS: ReadonlySet<string> = new Set(['hello', 'hi']);

/** What people type for help on a command line, and "--help" as a phone's smart punctuation sends it (a dash). */
const HELP_WORDS = new Set(['?', '-h', '--help', '-help', '/?', '—help', '–help', '—h', '–h']);

/**
 * Reads the (trimmed) text after `/moment`. A subcommand is recognised as people type it on a phone: `list?`, `Stats…`,
 * `` `help` ``; a lone word a slip from one is asked about, since flagging it would post a card and ping reviewers
 * for a moment titled "lsit". A longer text, or one with a "Title:" colon, is a flag ("List of winners is out",
 * "Stats: best quarter yet").
 */
export function readCommandWords(text: string): CommandWords {
  const lowered = text.toLowerCase();
  const words = lowered.split(/\s+/).filter((w) => w !== '');
  if (words.length === 1 && !lowered.includes(':')) {
    if (HELP_WORDS.has(lowered)) return { kind: 'subcommand', name: 'help' };
    // A phone turns "..." into "…"; a comma or semicolon left by a thumb is no title either.
    const bare = lowered.replace(/^[`'"“‘]+|[`'"”’.!?…,;]+$/gu, '');
    const exact = SUBCOMMANDS.find((s) => s === bare);
    if (exact) return { kind: 'subcommand', name: exact };
    const near = bare.length >= 3 ? SUBCOMMANDS.find((s) => isSlipOf(bare, s)) : undefined;
    if (near) return { kind: 'near', name: near };
  }
  // `withdraw`, `cancel #3`, `undo 3`, `test 1`: a lone word, perhaps with a number (not after a greeting: "Hello 2026"
  // is a post).
  if (words.length >= 1 && words.length <= 2 && !lowered.includes(':') && (words.length === 1 || /^#?\d+$/.test(words[1] ?? ''))) {
    const bare = (words[0] ?? '').replace(/^[`'"“‘/]+|[`'"”’.!?…,;]+$/gu, '');
    const meant = Object.hasOwn(NOT_COMMANDS, bare) ? NOT_COMMANDS[bare as keyof typeof NOT_COMMANDS] : undefined;
    if (meant && (words.length === 1 || !GREETINGS.has(bare))) return { kind: 'not_a_command', word: meant };
  }
  if (words.length >= 2 && words.length <= 3 && !lowered.includes(':')) {
    const first = SUBCOMMANDS.find((s) => s === words[0]);
    if (first) return { kind: 'with_words', name: first };
  }
  return { kind: 'flag' };
}

/**
 * `typed` is `word` with two neighbouring letters swapped ("lsit") or one left out ("stat"): slips of the thumb. A letter
 * changed or added makes words people flag as titles ("Last", "Stars", "Helps", "Yelp"), which stay flags.
 */
function isSlipOf(typed: string, word: string): boolean {
  if (typed.length === word.length - 1) return [...word].some((_, i) => word.slice(0, i) + word.slice(i + 1) === typed);
  if (typed.length !== word.length) return false;
  for (let i = 0; i + 1 < word.length; i += 1) {
    if (typed === `${word.slice(0, i)}${word[i + 1] ?? ''}${word[i] ?? ''}${word.slice(i + 2)}`) return true;
  }
  return false;
}
