import type { RecordedCall, ResponseUrlPost } from './slack-stand-in';

/**
 * Turns what Greenlight asked Slack to show into lines a person can read in a terminal. `nthMessage`: which message of
 * its conversation an update edits (1 for the first), so two updates in one DM read as two messages, not one twice.
 */
export function describeCall(call: RecordedCall, names: Record<string, string>, nthMessage?: (channel: string, ts: string) => number | undefined): string | undefined {
  const p = call.params;
  const who = (id: unknown) => (typeof id === 'string' ? (names[id] ?? id) : '?');
  const where = (channel: unknown) => (typeof channel === 'string' ? (names[channel] ?? channel) : '?');
  const failed = call.status !== 200 || (isRecord(call.response) && call.response.ok === false);
  const mark = failed ? ` ✗ (${isRecord(call.response) ? String(call.response.error) : call.status})` : '';
  switch (call.method) {
    case 'chat.postMessage': {
      const thread = typeof p.thread_ts === 'string' ? ' (thread reply)' : '';
      return `→ post in ${where(p.channel)}${thread}${mark}\n${indent(readable(p), names)}`;
    }
    case 'chat.update': {
      const nth = typeof p.channel === 'string' && typeof p.ts === 'string' ? nthMessage?.(p.channel, p.ts) : undefined;
      const which = nth === undefined ? '' : `, message ${nth}`;
      return `→ update in place in ${where(p.channel)}${which}${mark}\n${indent(readable(p), names)}`;
    }
    case 'chat.postEphemeral':
      return `→ only ${who(p.user)} sees, in ${where(p.channel)}${mark}\n${indent(readable(p), names)}`;
    case 'views.open': {
      const view = isRecord(p.view) ? p.view : {};
      const title = isRecord(view.title) ? String(view.title.text) : '';
      return `→ modal opens: "${title}"${mark}`;
    }
    default:
      return undefined;
  }
}

/**
 * Which message of its conversation `ts` is, counting only the conversation's own messages (1 for the first): a thread
 * reply is folded under its parent, so a reader counting down the channel does not count it.
 */
export function nthTopLevel(messages: readonly { readonly ts: string; readonly threadTs?: string }[], ts: string): number | undefined {
  const index = messages.filter((m) => m.threadTs === undefined).findIndex((m) => m.ts === ts);
  return index < 0 ? undefined : index + 1;
}

export function describeResponse(post: ResponseUrlPost, who: string, names: Record<string, string>): string {
  return `→ only ${who} sees\n${indent(String(post.body.text ?? ''), names)}`;
}

/** Block Kit as plain lines: headers, sections, context, buttons. */
function readable(params: Record<string, unknown>): string {
  const blocks = Array.isArray(params.blocks) ? params.blocks : [];
  if (blocks.length === 0) return String(params.text ?? '');
  const lines: string[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    const text = isRecord(block.text) ? String(block.text.text) : '';
    switch (block.type) {
      case 'header':
        lines.push(`▌${text}`);
        break;
      case 'section':
        lines.push(text);
        break;
      case 'context':
        lines.push(
          (Array.isArray(block.elements) ? block.elements : [])
            .map((e) => (isRecord(e) ? String(e.text) : ''))
            .join(' '),
        );
        break;
      case 'actions':
        lines.push(
          (Array.isArray(block.elements) ? block.elements : [])
            .map((e) => (isRecord(e) && isRecord(e.text) ? `[ ${String(e.text.text)} ]` : ''))
            .join(' '),
        );
        break;
      default:
        break;
    }
  }
  return lines.join('\n');
}

/** Mentions and date tokens shown as Slack would render them. */
function humanise(text: string, names: Record<string, string>): string {
  return text
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${names[id] ?? id}`)
    .replace(/<#([A-Z0-9]+)>/g, (_m, id: string) => names[id] ?? `#${id}`)
    .replace(/<!date\^(\d+)\^[^|]*\|([^>]*)>/g, (_m, _s, fallback: string) => fallback)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function indent(text: string, names: Record<string, string>): string {
  return humanise(text, names)
    .split('\n')
    .map((line) => `    │ ${line}`)
    .join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
