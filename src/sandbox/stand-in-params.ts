import type { Params } from './stand-in-types';
import { isRecord } from './stand-in-types';

/**
 * Fields that @slack/web-api sends as JSON strings inside a form body, with the error Slack answers when one is
 * not valid JSON.
 */
const JSON_FIELDS: Record<string, string> = {
  blocks: 'invalid_blocks_format',
  attachments: 'invalid_attachments',
  metadata: 'invalid_metadata_format',
  view: 'invalid_json',
};

export type ParsedRequest =
  | { ok: true; params: Params; token: string | undefined }
  | { ok: false; error: string };

/**
 * Turns a request into typed params and a token, the way Slack reads them: query string and form fields,
 * or a JSON object body. Like Slack, a JSON body cannot carry the token: it must come in the Authorization header.
 */
export function parseRequest(
  contentType: string | undefined,
  raw: string,
  query: URLSearchParams,
  authorization: string | undefined,
): ParsedRequest {
  const params: Params = {};
  query.forEach((value, key) => {
    params[key] = value;
  });
  const isJson = (contentType ?? '').toLowerCase().startsWith('application/json');
  if (isJson) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
    if (!isRecord(body)) {
      return { ok: false, error: 'invalid_json' };
    }
    delete params.token;
    Object.assign(params, body);
  } else if (raw.length > 0) {
    new URLSearchParams(raw).forEach((value, key) => {
      params[key] = value;
    });
  }
  for (const [field, error] of Object.entries(JSON_FIELDS)) {
    const value = params[field];
    if (typeof value !== 'string') {
      continue;
    }
    try {
      params[field] = JSON.parse(value);
    } catch {
      return { ok: false, error };
    }
  }
  const fromParams = isJson ? undefined : str(params, 'token');
  delete params.token;
  return { ok: true, params, token: bearer(authorization) ?? fromParams };
}

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** A param as a non-empty string (numbers and booleans are accepted, as Slack does). */
export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') {
    return value.length > 0 ? value : undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

export function flag(params: Params, key: string): boolean {
  const value = params[key];
  return value === true || value === 1 || value === 'true' || value === '1';
}

export function int(params: Params, key: string): number | undefined {
  const text = str(params, key);
  if (text === undefined) {
    return undefined;
  }
  const value = Number.parseInt(text, 10);
  return Number.isNaN(value) ? undefined : value;
}

/** The method that hands out Socket Mode connection URLs. */
export const CONNECTIONS_OPEN = 'apps.connections.open';

/**
 * Slack's token checks, as an error code or undefined: no token -> not_authed; apps.connections.open takes only an
 * app-level token (the configured one when set), which opens nothing else (not_allowed_token_type); with a bot
 * token configured, any other token -> invalid_auth.
 */
export function tokenError(method: string, token: string | undefined, expected: { token?: string; appToken?: string }): string | undefined {
  if (token === undefined) {
    return 'not_authed';
  }
  if (method === CONNECTIONS_OPEN) {
    const valid = expected.appToken === undefined ? token.startsWith('xapp-') : token === expected.appToken;
    return valid ? undefined : 'invalid_auth';
  }
  if (token.startsWith('xapp-')) {
    return 'not_allowed_token_type';
  }
  return expected.token !== undefined && token !== expected.token ? 'invalid_auth' : undefined;
}
