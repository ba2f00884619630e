import type { IncomingMessage, ServerResponse } from 'node:http';
import { blocksTooLong, checkBlocks, MESSAGE_BLOCK_LIMIT, MESSAGE_TEXT_LIMIT } from './stand-in-blocks';
import { isRecord } from './stand-in-types';

/** Slack refuses bodies over 1 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type ReadBody = { tooLarge: false; text: string } | { tooLarge: true };

/**
 * Reads the whole body. Past the limit it keeps draining without storing, so the client gets the 413
 * instead of a reset connection while it is still writing.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      resolve(size > limit ? { tooLarge: true } : { tooLarge: false, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
  });
}

/** What is sent back: a JSON value, or text (as a failing proxy would answer). */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function send(res: ServerResponse, answer: Answer): void {
  // The client may have given up already (e.g. its timeout fired during a slow fault).
  if (res.destroyed || res.writableEnded) {
    return;
  }
  const isText = typeof answer.body === 'string';
  const payload = isText ? String(answer.body) : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  res.end(payload);
}

export type ResponseUrlPostBody =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: number; error: string };

/**
 * A response_url post: a JSON object, as Slack expects, whose message passes the checks chat.postMessage applies (a
 * text or blocks, within their limits), or the error Slack would answer. Deleting the original needs no message.
 */
export async function readResponseUrlPost(req: IncomingMessage): Promise<ResponseUrlPostBody> {
  const body = await readBody(req);
  if (body.tooLarge) {
    return { ok: false, status: 413, error: 'request_too_large' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) return { ok: false, status: 400, error: 'invalid_payload' };
  if (parsed.delete_original === true) return { ok: true, body: parsed };
  const text = typeof parsed.text === 'string' ? parsed.text : '';
  if (text.length > MESSAGE_TEXT_LIMIT) return { ok: false, status: 400, error: 'msg_too_long' };
  if (parsed.blocks !== undefined && checkBlocks(parsed.blocks, MESSAGE_BLOCK_LIMIT).length > 0) return { ok: false, status: 400, error: 'invalid_blocks' };
  if (parsed.blocks !== undefined && blocksTooLong(parsed.blocks)) return { ok: false, status: 400, error: 'msg_blocks_too_long' };
  const hasBlocks = Array.isArray(parsed.blocks) && parsed.blocks.length > 0;
  if (text.trim() === '' && !hasBlocks) return { ok: false, status: 400, error: 'no_text' };
  return { ok: true, body: parsed };
}

/** "ok" or the Slack error code, for log lines (never the token, never whole bodies). */
export function describeBody(body: unknown): string {
  if (isRecord(body)) {
    return body.ok === true ? 'ok' : String(body.error ?? 'error');
  }
  return typeof body === 'string' ? body : 'answered';
}
