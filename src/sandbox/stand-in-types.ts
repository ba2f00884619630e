/** Types shared by the Slack Web API stand-in's modules. The public ones are re-exported by slack-stand-in.ts. */

export interface StandInUser {
  id: string;
  name: string;
  email?: string;
  realName?: string;
  /** A bot user (an integration's), as users.info reports it. */
  isBot?: boolean;
  /** A deactivated account: users.info says `deleted: true`. */
  deleted?: boolean;
  /** Someone of another organisation (Slack Connect): users.info names their own team. */
  teamId?: string;
  /** A multi-channel guest (`is_restricted`). */
  isRestricted?: boolean;
  /** A single-channel guest (`is_ultra_restricted`, also `is_restricted`). */
  isUltraRestricted?: boolean;
}

export interface StandInOptions {
  /** 0/undefined = ephemeral. */
  port?: number;
  /** If set, any other token -> invalid_auth. */
  token?: string;
  /** App-level token (`xapp-…`) that apps.connections.open accepts; unset, any `xapp-` token is accepted. */
  appToken?: string;
  /** How often the stand-in pings Socket Mode clients, as Slack does; default 10 000 ms. */
  socketPingMs?: number;
  /** Default 'greenlight-sandbox' (used in permalinks). */
  teamDomain?: string;
  /** Default 'T0SANDBOX'. */
  teamId?: string;
  /** Default 'U0GREENLIGHT'; the bot id is always 'B0GREENLIGHT'. */
  botUserId?: string;
  users?: StandInUser[];
  /** S… id -> member user ids. */
  usergroups?: Record<string, string[]>;
  /** chat.postMessage / chat.update / chat.postEphemeral there -> is_archived. */
  archivedChannels?: string[];
  /** Any method naming one of these channels -> channel_not_found. */
  missingChannels?: string[];
  /** The bot token's scopes, named on every Web API answer (x-oauth-scopes) as Slack does; unset, none is named. */
  botScopes?: readonly string[];
  /** undefined = unlimited; else 429 + Retry-After when exceeded. */
  postsPerSecondPerChannel?: number;
  log?: (line: string) => void;
}

export interface RecordedCall {
  seq: number;
  method: string;
  /** blocks/metadata/view etc. already JSON-parsed; the token param is left out (it is in `token`). */
  params: Record<string, unknown>;
  token: string | undefined;
  /** The request's headers, names lower-cased, authorization left out (it is in `token`). */
  headers: Record<string, string>;
  /** Date.now() when received. */
  at: number;
  status: number;
  /** What was answered. */
  response: unknown;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** A reply also sent to the channel (`reply_broadcast`): in the channel's history too, as subtype thread_broadcast. */
  broadcast?: boolean;
  user: string;
  text: string;
  blocks: unknown[];
  /** Legacy attachments, as an app posts them. */
  attachments?: unknown[];
  /** Files shared with the message (a person's image post), as Slack lists them: `{ id, name, title, mimetype }`. */
  files?: unknown[];
  metadata?: MessageMetadata;
  /** How many chat.update calls changed it. */
  updates: number;
  /** Deleted while it had replies: like Slack, it stays as "This message was deleted." (subtype tombstone). */
  tombstone?: boolean;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[];
  messageTs: string;
  at: number;
}

export interface ResponseUrlPost {
  key: string;
  body: Record<string, unknown>;
  at: number;
}

export type Fault =
  /** HTTP 429, header Retry-After, body {ok:false,error:'ratelimited'}. */
  | { kind: 'rate_limited'; retryAfterSec: number }
  /** landed=true: perform the method first (the message really is stored), then answer the error. */
  | { kind: 'http_error'; status: number; landed?: boolean }
  /** HTTP 200 {ok:false,error}; landed=true: performed first, as Slack says internal_error and fatal_error may be. */
  | { kind: 'slack_error'; error: string; landed?: boolean }
  /** Perform the method at once (it lands), answer after delayMs, so a client timeout sees a landed message. */
  | { kind: 'slow'; delayMs: number };

export interface FaultRule {
  method?: string;
  channel?: string;
  times?: number;
  /** Absolute Date.now() bound. */
  untilMs?: number;
  fault: Fault;
}

export interface OpenedView {
  triggerId: string;
  view: Record<string, unknown>;
  id: string;
}

/** Parsed request parameters: strings from forms, any JSON value from JSON bodies and nested fields. */
export type Params = Record<string, unknown>;

/** What a method handler answers; the server writes it. */
export interface MethodResult {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export const ok = (body: Record<string, unknown> = {}): MethodResult => ({ status: 200, body: { ok: true, ...body } });

export const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
