import { createHash } from 'node:crypto';
import { withoutTopicTag } from '../core/routing';
import { escapeText } from './blocks/mrkdwn';
import { field, stringField } from './payload';

/**
 * Words' fingerprint, kept instead of the words themselves (a form's private_metadata holds 3,000 characters; a
 * moment keeps its message's): the same for the same words whatever their spacing, since Slack may give a field's line
 * breaks back differently.
 */
export function wordsFingerprint(words: string): string {
  return createHash('sha256').update(words.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);
}

/**
 * A flagged message's words as kept at the flag (see SourceMessage.wordsSeen): the fingerprint of what chooseTopic left
 * of them, without the `#tag` that named the topic (an instruction to Greenlight, left out of the copy, which the
 * flagger may well take out of the message before posting it), and that tag, to take it out again at the approval.
 */
export function wordsSeen(choice: { readonly text: string; readonly tag?: string }): string {
  return choice.tag === undefined ? wordsFingerprint(choice.text) : `${wordsFingerprint(choice.text)}:${choice.tag}`;
}

/**
 * Whether a flagged message's words read again are the ones kept at the flag (wordsSeen), its topic's tag aside: as
 * they stand (the tag taken out already, a hashtag of the post's own left, "#sports Big match! #sports" now "Big
 * match! #sports"), or once the tag is taken out as it was at the flag.
 */
export function sameWordsAsSeen(words: string, seen: string): boolean {
  const [fingerprint, tag] = seen.split(':');
  return wordsFingerprint(words) === fingerprint || (tag !== undefined && wordsFingerprint(withoutTopicTag(words, tag)) === fingerprint);
}

/**
 * What a flagged message says, in Slack's text form (entities for & < >, links as <url|label>), read from a message
 * as the Web API or a shortcut gives it. A person's message says it in `text`. An app's often puts its words in blocks
 * or attachments and leaves `text` a short notification ("New scheduled post"), which reviewers must not approve in
 * place of the post: whichever holds more words is taken. A message with none at all reads as '' (an image, a file).
 */
export function wordsOf(message: unknown): string {
  const text = stringField(message, 'text') ?? '';
  // A person's rich text is what `text` carries already; an app's may be the post itself, beside a notification.
  const byApp = stringField(message, 'bot_id') !== undefined;
  const shown = [...blockLines(field(message, 'blocks'), byApp), ...attachmentLines(field(message, 'attachments'))].join('\n');
  return shown.trim().length > text.trim().length ? shown : text;
}

/**
 * The words of section, header and context blocks, and an app's rich text blocks. A person's rich text blocks are left
 * out: they hold what the person typed, which `text` already carries in Slack's text form.
 */
function blockLines(blocks: unknown, withRichText: boolean): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block): string[] => {
    switch (stringField(block, 'type')) {
      case 'rich_text':
        return withRichText ? listOf(field(block, 'elements')).map(richTextPart).filter((line) => line !== '') : [];
      case 'header':
        return textObject(field(block, 'text'));
      case 'section':
        return [...textObject(field(block, 'text')), ...listOf(field(block, 'fields')).flatMap(textObject)];
      case 'context':
        return [listOf(field(block, 'elements')).flatMap(textObject).join(' ')].filter((line) => line !== '');
      default:
        return [];
    }
  });
}

/**
 * Legacy attachments: their lead-in, title, text and fields ("Title: value"). A web page's preview, which Slack attaches
 * to a message with a link (see isLinkPreview), is left out: its words are the linked page's (a news story's headline
 * and summary), not the message's, and the message's own link already points to it.
 */
function attachmentLines(attachments: unknown): string[] {
  return listOf(attachments)
    .filter((attachment) => !isLinkPreview(attachment))
    .flatMap((attachment) => [
      ...[stringField(attachment, 'pretext'), stringField(attachment, 'title'), stringField(attachment, 'text')].filter((line): line is string => !!line),
      ...listOf(field(attachment, 'fields')).flatMap((f) => {
        const value = stringField(f, 'value');
        const title = stringField(f, 'title');
        return value ? [title ? `${title}: ${value}` : value] : [];
      }),
    ]);
}

/**
 * A web page's preview Slack attached to a message: it names the link it unfurls. A Slack message attached the same way
 * (forwarded with "Share message", or a link to it pasted) is not one: its words are a post, what a flag is about.
 */
export function isLinkPreview(attachment: unknown): boolean {
  if (field(attachment, 'is_share') === true || field(attachment, 'is_msg_unfurl') === true) return false;
  return stringField(attachment, 'from_url') !== undefined || stringField(attachment, 'original_url') !== undefined || field(attachment, 'is_app_unfurl') === true;
}

/** A text object's words in Slack's text form: mrkdwn is sent so already; plain text is escaped to match. */
function textObject(value: unknown): string[] {
  const text = stringField(value, 'text');
  if (!text) return [];
  return [stringField(value, 'type') === 'plain_text' ? escapeText(text) : text];
}

/** A rich text block's part (a paragraph, a list, a quote, code) in Slack's text form. */
function richTextPart(part: unknown): string {
  const inline = listOf(field(part, 'elements'));
  switch (stringField(part, 'type')) {
    case 'rich_text_list': {
      const ordered = stringField(part, 'style') === 'ordered';
      const offset = typeof field(part, 'offset') === 'number' ? (field(part, 'offset') as number) : 0;
      return inline.map((item, i) => `${ordered ? `${offset + i + 1}.` : '•'} ${richTextPart(item)}`).join('\n');
    }
    case 'rich_text_quote':
      return richTextInline(inline)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'rich_text_preformatted':
      return `\`\`\`${richTextInline(inline)}\`\`\``;
    default:
      return richTextInline(inline);
  }
}

/** Text in bold, italic, struck through or as code, marked as Slack's text form marks it. */
function styled(text: string, style: unknown): string {
  if (text.trim() === '') return text;
  // Marks go around the words, the run's spaces outside them: Slack reads no `*Free tickets *` as bold.
  // Found by trimming, not by a pattern: `^(\s*)(.*?)(\s*)$` took a second over 40,000 spaces.
  const words = text.trim();
  const before = text.slice(0, text.length - text.trimStart().length);
  const after = text.slice(text.trimEnd().length);
  let marked = words;
  if (field(style, 'code') === true) marked = `\`${marked}\``;
  if (field(style, 'strike') === true) marked = `~${marked}~`;
  if (field(style, 'italic') === true) marked = `_${marked}_`;
  if (field(style, 'bold') === true) marked = `*${marked}*`;
  return `${before}${marked}${after}`;
}

/** Rich text's inline elements (their characters raw) in Slack's text form: escaped, styled, links and mentions marked. */
function richTextInline(elements: readonly unknown[]): string {
  return elements
    .map((element) => {
      const text = stringField(element, 'text');
      switch (stringField(element, 'type')) {
        case 'text':
          return styled(escapeText(text ?? ''), field(element, 'style'));
        case 'link': {
          const url = stringField(element, 'url') ?? '';
          return text ? `<${url}|${escapeText(text)}>` : `<${url}>`;
        }
        case 'user':
          return `<@${stringField(element, 'user_id') ?? ''}>`;
        case 'channel':
          return `<#${stringField(element, 'channel_id') ?? ''}>`;
        case 'usergroup':
          return `<!subteam^${stringField(element, 'usergroup_id') ?? ''}>`;
        case 'broadcast':
          return `<!${stringField(element, 'range') ?? 'here'}>`;
        case 'emoji':
          return `:${stringField(element, 'name') ?? ''}:`;
        default:
          return text ? escapeText(text) : '';
      }
    })
    .join('');
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
