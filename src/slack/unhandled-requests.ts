import { ACTION, COMMAND, SHORTCUT, VIEW } from './ids';
import { field, isRecord } from './payload';

/** A request none of Greenlight's listeners takes: what it is, and the id Slack sent it with. */
export interface UnhandledRequest {
  readonly kind: 'slash command' | 'shortcut' | 'button' | 'form';
  readonly id: string;
}

const ACTIONS: ReadonlySet<string> = new Set(Object.values(ACTION));
const VIEWS: ReadonlySet<string> = new Set(Object.values(VIEW));
const SHORTCUTS: ReadonlySet<string> = new Set(Object.values(SHORTCUT));

/**
 * The request, when it is a command, shortcut, button or form no listener of Greenlight's takes: the Slack app's
 * settings no longer match manifest.json (the command renamed, a callback id changed), or a message from another
 * version. Bolt would leave it unanswered until Slack's 3 s ran out. Events are answered by Bolt before any listener,
 * and a form closed without submitting asks nothing: neither is one.
 */
export function unhandledRequest(body: unknown): UnhandledRequest | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.command === 'string') return body.command === COMMAND ? undefined : { kind: 'slash command', id: body.command };
  switch (body.type) {
    case 'message_action':
    case 'shortcut':
      return typeof body.callback_id === 'string' && !SHORTCUTS.has(body.callback_id) ? { kind: 'shortcut', id: body.callback_id } : undefined;
    case 'block_actions': {
      const first = Array.isArray(body.actions) ? body.actions[0] : undefined;
      const id = isRecord(first) && typeof first.action_id === 'string' ? first.action_id : undefined;
      return id !== undefined && !ACTIONS.has(id) ? { kind: 'button', id } : undefined;
    }
    case 'view_submission': {
      const id = isRecord(body.view) && typeof body.view.callback_id === 'string' ? body.view.callback_id : undefined;
      return id !== undefined && !VIEWS.has(id) ? { kind: 'form', id } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Why a command, button press or form Greenlight does take cannot be read, or undefined when it can: what its
 * listeners key a press on (the trigger, the form's id) or read first is missing. Slack always sends these; a request
 * without them is answered at once and logged, rather than left to time out, throw in a listener, or be recorded under
 * a key ("action:undefined") that would make every later such press look like its replay.
 */
export function unreadableRequest(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const nonEmpty = (value: unknown) => typeof value === 'string' && value !== '';
  if (typeof body.command === 'string') {
    return nonEmpty(body.trigger_id) && nonEmpty(body.user_id) ? undefined : 'slash command without its trigger or user';
  }
  switch (body.type) {
    case 'block_actions':
      if (!Array.isArray(body.actions) || body.actions.length === 0) return 'button press without an action';
      return nonEmpty(body.trigger_id) && nonEmpty(field(body.user, 'id')) ? undefined : 'button press without its trigger or user';
    case 'view_submission':
      if (!nonEmpty(field(body.view, 'id')) || !nonEmpty(field(body.user, 'id'))) return 'form without its id or user';
      return isRecord(field(field(body.view, 'state'), 'values')) ? undefined : 'form without its values';
    default:
      return undefined;
  }
}

/** What the person sees: a command gets a word on what to type instead; the rest get nothing (a closed form, a press). */
export function unhandledAnswer(request: UnhandledRequest): { response_type: 'ephemeral'; text: string } | undefined {
  if (request.kind !== 'slash command') return undefined;
  return { response_type: 'ephemeral', text: `Greenlight answers to \`${COMMAND}\`, not \`${request.id}\`: try \`${COMMAND} help\`.` };
}
