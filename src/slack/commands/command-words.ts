import { editDistance } from '../../core/words';

export const SUBCOMMANDS = ['help', 'list', 'stats'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** What the text after `/moment` asks for. */
export type CommandWords =
  | { readonly kind: 'subcommand'; readonly name: Subcommand }
  /** `list mine`, `stats 7d`: the subcommand with words it does not take. */
  | { readonly kind: 'with_words'; readonly name: Subcommand }
  /** One word a slip away from a subcommand (`lsit`, `stat`): asked about, never flagged. */
  | { readonly kind: 'near'; readonly name: Subcommand }
  | { readonly kind: 'flag' };

/** What people type for help on a command line. */
const HELP_WORDS = new Set(['?', '-h', '--help', '-help', '/?']);

/**
 * Reads the (trimmed) text after `/moment`. A subcommand is recognised as people type it on a phone: `list?`, `Stats.`,
 * `` `help` ``; a lone word one slip from one is asked about, since flagging it would post a card and ping reviewers
 * for a moment titled "lsit". A longer text, or one with a "Title:" colon, is a flag ("List of winners is out",
 * "Stats: best quarter yet").
 */
export function readCommandWords(text: string): CommandWords {
  const lowered = text.toLowerCase();
  const words = lowered.split(/\s+/).filter((w) => w !== '');
  if (words.length === 1 && !lowered.includes(':')) {
    if (HELP_WORDS.has(lowered)) return { kind: 'subcommand', name: 'help' };
    const bare = lowered.replace(/^[`'"“‘]+|[`'"”’.!?]+$/gu, '');
    const exact = SUBCOMMANDS.find((s) => s === bare);
    if (exact) return { kind: 'subcommand', name: exact };
    const near = bare.length >= 3 ? SUBCOMMANDS.find((s) => editDistance(bare, s) === 1) : undefined;
    if (near) return { kind: 'near', name: near };
  }
  if (words.length >= 2 && words.length <= 3 && !lowered.includes(':')) {
    const first = SUBCOMMANDS.find((s) => s === words[0]);
    if (first) return { kind: 'with_words', name: first };
  }
  return { kind: 'flag' };
}
