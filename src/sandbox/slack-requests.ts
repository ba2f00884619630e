/** Slack requests built and signed exactly as Slack sends them; used by the demo, the tests and the benchmarks. */
import { signBody } from '../slack/verify-signature';

export const SIGNING_SECRET = '8f742231b10e8888abcd99ffffff85a5';
export const BOT_TOKEN = 'xoxb-1111-2222-greenlightTestToken';
export const TEAM = { id: 'T0SANDBOX', domain: 'greenlight-sandbox' };

let counter = 0;
/** Unique ids shaped like Slack's, so each request is a new interaction unless a test reuses one. */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export interface SignedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Signs a body exactly as Slack does (v0 HMAC of the signing secret), dated `timestampSec`. */
export function signed(body: string, contentType: string, timestampSec = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET): SignedRequest {
  const timestamp = String(timestampSec);
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signBody(secret, timestamp, body),
    },
  };
}

export interface CommandOptions {
  readonly channel?: string;
  readonly responseUrl?: string;
  readonly triggerId?: string;
}

/** A `/moment` invocation's fields, all strings: the HTTP form body, and the Socket Mode `slash_commands` payload. */
export function slashCommandPayload(userId: string, text: string, options: CommandOptions = {}): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: options.channel ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/moment',
    text,
    api_app_id: 'A0GREENLIGHT',
    is_enterprise_install: 'false',
    response_url: options.responseUrl ?? 'https://hooks.slack.com/commands/T0SANDBOX/1/abc',
    trigger_id: options.triggerId ?? nextId('trigger.'),
  };
}

export function slashCommandBody(userId: string, text: string, options: CommandOptions = {}): string {
  return new URLSearchParams(slashCommandPayload(userId, text, options)).toString();
}

export interface ClickOptions {
  readonly channel?: string;
  readonly messageTs?: string;
  readonly responseUrl?: string;
  readonly triggerId?: string;
  /** Pressed in the person's App Home: Slack sends the Home view, and no channel, message or response_url. */
  readonly inHome?: boolean;
}

/** A button press: the `block_actions` object (the Socket Mode `interactive` payload). */
export function blockActionPayload(userId: string, actionId: string, value: string, options: ClickOptions = {}): Record<string, unknown> {
  const channel = options.channel ?? 'C0REVIEW';
  const where = options.inHome
    ? { container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home', callback_id: '', private_metadata: '', blocks: [], state: { values: {} } } }
    : {
        container: { type: 'message', message_ts: options.messageTs ?? '1700000000.000100', channel_id: channel, is_ephemeral: false },
        channel: { id: channel, name: 'review' },
        message: { type: 'message', ts: options.messageTs ?? '1700000000.000100', text: 'card' },
        response_url: options.responseUrl ?? `https://hooks.slack.com/actions/T0SANDBOX/1/${nextId('r')}`,
      };
  return {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'A0GREENLIGHT',
    token: 'legacy-verification-token',
    ...where,
    trigger_id: options.triggerId ?? nextId('trigger.'),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    actions: [
      {
        action_id: actionId,
        block_id: 'decide',
        text: { type: 'plain_text', text: 'button', emoji: true },
        value,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** The same press as Slack posts it over HTTP: a form with one `payload` field. */
export function blockActionBody(userId: string, actionId: string, value: string, options: ClickOptions = {}): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionPayload(userId, actionId, value, options)) }).toString();
}

export type ViewValues = Record<string, Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>>;

/** A modal submitted: the `view_submission` object (the Socket Mode `interactive` payload). */
export function viewSubmissionPayload(userId: string, callbackId: string, values: ViewValues, privateMetadata: string, viewId = nextId('V')): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: TEAM,
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'A0GREENLIGHT',
    token: 'legacy-verification-token',
    trigger_id: nextId('trigger.'),
    view: {
      id: viewId,
      team_id: TEAM.id,
      type: 'modal',
      blocks: [],
      private_metadata: privateMetadata,
      callback_id: callbackId,
      state: { values },
      hash: nextId('h'),
      title: { type: 'plain_text', text: 'Greenlight' },
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: 'A0GREENLIGHT',
      external_id: '',
      app_installed_team_id: TEAM.id,
      bot_id: 'B0GREENLIGHT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewSubmissionBody(userId: string, callbackId: string, values: ViewValues, privateMetadata: string, viewId = nextId('V')): string {
  return new URLSearchParams({ payload: JSON.stringify(viewSubmissionPayload(userId, callbackId, values, privateMetadata, viewId)) }).toString();
}

/** An `event_callback`: the Events API body, and the Socket Mode `events_api` payload. */
export function eventPayload(event: Record<string, unknown>, eventId = nextId('Ev')): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    api_app_id: 'A0GREENLIGHT',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'U0GREENLIGHT', is_bot: true }],
  };
}

export function eventBody(event: Record<string, unknown>, eventId = nextId('Ev')): string {
  return JSON.stringify(eventPayload(event, eventId));
}
