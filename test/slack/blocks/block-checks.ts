import type { types } from '@slack/bolt';
import { blocksTooLong, checkBlocks, MESSAGE_BLOCK_LIMIT, MESSAGE_TEXT_LIMIT } from '../../../src/sandbox/stand-in-blocks';

/** Every mrkdwn string of a message: its fallback text and each mrkdwn text object in its blocks. */
export function mrkdwnTexts(message: { readonly text: string; readonly blocks: readonly unknown[] }): string[] {
  const found: string[] = [message.text];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if ('type' in value && value.type === 'mrkdwn' && 'text' in value && typeof value.text === 'string') found.push(value.text);
    Object.values(value).forEach(walk);
  };
  walk(message.blocks);
  return found;
}

/** mrkdwn text objects in blocks that let Slack parse mentions and names on its own (not `verbatim: true`). */
export function parsedMrkdwnObjects(blocks: readonly unknown[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if ('type' in value && value.type === 'mrkdwn' && !('verbatim' in value && value.verbatim === true)) found.push(JSON.stringify(value).slice(0, 80));
    Object.values(value).forEach(walk);
  };
  walk(blocks);
  return found;
}

/**
 * What is left of mrkdwn once the markup the bot itself writes is taken out: mentions of ids from the
 * store, date tokens, http(s) links, and the quote marker at the start of a line. Anything `<`, `>`,
 * `<!`, `<@` or `<#` left over came from user text.
 */
export function withoutBotMarkup(text: string, userIds: readonly string[]): string {
  let rest = text;
  for (const id of userIds) rest = rest.split(`<@${id}>`).join('');
  return rest
    .replace(/<!date\^\d+\^[^|<>]+\|[0-9T:Z-]+>/g, '')
    .replace(/<https?:\/\/[^\s<>|]+(\|[^<>]*)?>/g, '')
    // A quote marker; a bare ">" ends a line only where a cut fell inside a marker (see the status block bug).
    .replace(/^>(?: |$)/gm, '');
}

/**
 * Block Kit limits broken by a message (DESIGN §7), as readable lines; empty when all hold. The Slack stand-in's own
 * checks, so a builder's test and a post through the stand-in agree on what Slack would refuse.
 */
export function limitViolations(message: { readonly text: string; readonly blocks: readonly types.KnownBlock[] }): string[] {
  const problems = message.text.trim() === '' ? ['empty fallback text'] : [];
  if (message.text.length > MESSAGE_TEXT_LIMIT) problems.push(`fallback text of ${message.text.length} characters`);
  if (blocksTooLong(message.blocks)) problems.push('more text in all its blocks than Slack takes in a message');
  return [...problems, ...checkBlocks(message.blocks, MESSAGE_BLOCK_LIMIT)];
}

/** True when the text holds a lone surrogate or an `&` that does not start one of Slack's three entities. */
export function hasBrokenCharacters(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text) || /&(?!amp;|lt;|gt;)/.test(text);
}
