/**
 * Hostile text: what a flag does with the words of the longest message Slack holds (40,000 characters), timed in
 * process. Reading a flag's words runs on the event loop, so work that grows with the square of some run of characters
 * stalls every press and command while it runs. Each input goes the way a flag reaction's message goes (topic, plain
 * text, title and link, the mistyped-tag check, the quick flag's first 4,000 characters), then is put on a card and a
 * review DM. It is also read as an app's post in rich text, one bold run (what wordsOf makes of it).
 */
import { flagMoment } from '../src/core/flag';
import type { MomentView } from '../src/core/moment';
import { mistypedTopicTag, chooseTopic } from '../src/core/routing';
import { readFlaggedMessage, readQuickFlag } from '../src/core/quick-flag';
import { parseRouting } from '../src/config';
import { buildCard, buildReviewDm } from '../src/slack/blocks/card';
import { wordsOf } from '../src/slack/message-words';
import { firstMarkedLink, plainFromSlack } from '../src/slack/slack-text';
import { APPROVER, ROUND_TRIP_ROUTING } from './bench-routing';

export interface HostileTextResults {
  readonly length: number;
  readonly inputs: readonly { name: string; medianMs: number; maxMs: number }[];
}

const LENGTH = 40_000;
const LINK = 'https://example.com/';

/** Each input fills the message with one pattern, repeated (and cut) to LENGTH characters. */
const INPUTS: readonly [name: string, text: string][] = [
  ['a link, then ")"', `${LINK}${')'.repeat(LENGTH)}`],
  ['a link, then "." and a letter', `${LINK}${'.'.repeat(LENGTH)}a`],
  ['a link, then "(" and ")"', `${LINK}${'()'.repeat(LENGTH / 2)}`],
  ['spaces between two words', `a${' '.repeat(LENGTH)}b`],
  ['spaces, then a #tag', `a${' '.repeat(LENGTH)}#sports`],
  ['"#" signs', '#'.repeat(LENGTH)],
  ['"#a " tags', '#a '.repeat(LENGTH / 3)],
  ['line breaks', `a${'\n'.repeat(LENGTH)}b`],
  ['"<"', '<'.repeat(LENGTH)],
  ['"&"', '&'.repeat(LENGTH)],
  ['"*" and "_"', '*_'.repeat(LENGTH / 2)],
  ['a word in a run of "*"', `*a${'*'.repeat(LENGTH - 3)}a`],
  ['"*" around a run of "(#" and "."', `*${'(#sports.'.repeat(LENGTH / 9 - 1)}*`],
  ['":"', ':'.repeat(LENGTH)],
  ['Slack links', '<https://a.example/|x>'.repeat(LENGTH / 22)],
  ['unclosed Slack links', '<https://a.example/|'.repeat(LENGTH / 20)],
  ['mentions', '<@U0ANA>'.repeat(LENGTH / 8)],
  ['emoji codes', ':smile:'.repeat(LENGTH / 7)],
  ['family emoji', '👨‍👩‍👧'.repeat(LENGTH / 8)],
  ['words', 'word '.repeat(LENGTH / 5)],
];

function readRouting() {
  const parsed = parseRouting(ROUND_TRIP_ROUTING, 'bench-routing.yml');
  if (!parsed.ok) throw new Error(`bench routing is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.routing;
}

/** One flag's reading and rendering of `text`. */
function readAndRender(routing: ReturnType<typeof readRouting>, text: string): void {
  wordsOf({ bot_id: 'B0APP', text: 'New scheduled post', blocks: [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text, style: { bold: true } }] }] }] });
  const chosen = chooseTopic(routing, text, undefined, plainFromSlack(text));
  if (!chosen.ok) throw new Error(chosen.message);
  const content = readFlaggedMessage(plainFromSlack(chosen.choice.text), firstMarkedLink(chosen.choice.text));
  mistypedTopicTag(routing, text);
  readQuickFlag(text.slice(0, 4_000));
  const flagged = flagMoment({ flaggerId: 'U0FLAG', content, topic: chosen.choice.topic, source: undefined }, () => [APPROVER], 0);
  if (!flagged.ok) return;
  const view: MomentView = { moment: { ...flagged.flagged.moment, id: 1, version: 0 }, assignments: flagged.flagged.assignments, decisions: [] };
  buildCard(view);
  buildReviewDm(view, APPROVER, 'review', undefined);
}

export function measureHostileText(runs = 9): HostileTextResults {
  const routing = readRouting();
  const inputs = INPUTS.map(([name, text]) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = process.hrtime.bigint();
      readAndRender(routing, text.slice(0, LENGTH + LINK.length + 8));
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { name, medianMs: times[Math.floor(times.length / 2)] ?? 0, maxMs: times.at(-1) ?? 0 };
  });
  return { length: LENGTH, inputs };
}

if (require.main === module) {
  for (const input of measureHostileText().inputs) process.stdout.write(`${input.name.padEnd(32)} ${input.medianMs.toFixed(2)} ms (max ${input.maxMs.toFixed(2)})\n`);
}
