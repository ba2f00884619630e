import type { types } from '@slack/bolt';
import { LIMIT } from '../../../src/slack/ids';

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

/** Block Kit limits broken by a message (DESIGN §7), as readable lines; empty when all hold. */
export function limitViolations(message: { readonly text: string; readonly blocks: readonly types.KnownBlock[] }): string[] {
  const problems: string[] = [];
  if (message.text.trim() === '') problems.push('empty fallback text');
  if (message.blocks.length > LIMIT.blocksPerMessage) problems.push(`${message.blocks.length} blocks`);
  message.blocks.forEach((block, i) => {
    // Headers are measured in code points, as cutPlain cuts them; see the failing UTF-16 test in mrkdwn.test.ts.
    const headerLength = block.type === 'header' ? Array.from(block.text.text).length : 0;
    if (headerLength > LIMIT.headerText) problems.push(`header ${i}: ${headerLength}`);
    if (block.type === 'section' && block.text && (block.text.text.length > LIMIT.sectionText || block.text.text.length === 0)) {
      problems.push(`section ${i}: ${block.text.text.length}`);
    }
    if (block.type === 'context') {
      for (const element of block.elements) {
        if ('text' in element && element.text.length > LIMIT.contextText) problems.push(`context ${i}: ${element.text.length}`);
      }
    }
    if (block.type === 'actions') {
      for (const element of block.elements) {
        if (element.type === 'button' && element.text.text.length > LIMIT.buttonText) problems.push(`button ${i}: ${element.text.text.length}`);
      }
    }
  });
  return problems;
}

/** True when the text holds a lone surrogate or an `&` that does not start one of Slack's three entities. */
export function hasBrokenCharacters(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text) || /&(?!amp;|lt;|gt;)/.test(text);
}
