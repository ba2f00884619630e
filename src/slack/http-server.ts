import http from 'node:http';
import querystring from 'node:querystring';
import { LogLevel, type HTTPReceiver } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import { RepeatFilter } from '../log/repeat-filter';
import { verifySlackSignature } from './verify-signature';

export const EVENTS_PATH = '/slack/events';
/** Slack's payloads stay far below this; anything larger is refused before it is parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Slack sends a request in well under a second and stops waiting for the answer after 3 s: anything slower is a
 * stalled client. Node's defaults (60 s for headers, 300 s for a request, checked every 30 s) would let one hold a
 * connection for minutes.
 */
const SERVER_TIMEOUTS: http.ServerOptions = { headersTimeout: 5_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 };

/**
 * Open connections at once. Slack holds a handful; past this, new ones are closed at once, so a flood of idle
 * connections cannot use up the file descriptors the database needs (each is also cut after the timeouts above).
 */
export const MAX_CONNECTIONS = 512;

/**
 * Bytes of bodies read and not yet checked, across all connections. A body's signature can only be checked once it
 * is whole, so without a cap 512 senders of 1 MB bodies would hold 512 MB before anyone is known to be Slack.
 * Slack's own bodies are a few kilobytes, so this leaves room for dozens of the largest at once.
 */
export const UNVERIFIED_BODY_BUDGET_BYTES = 16 * 1024 * 1024;

export interface HttpServerDeps {
  readonly receiver: HTTPReceiver;
  /** MAX_CONNECTIONS unless told (tests use a small cap). */
  readonly maxConnections?: number;
  /** UNVERIFIED_BODY_BUDGET_BYTES unless told (tests use a small budget). */
  readonly unverifiedBodyBudget?: number;
  readonly signingSecret: string;
  readonly logger: StructuredLogger;
  readonly clock: () => number;
  readonly health: () => boolean;
}

const WRONG_SECRET_FIX =
  "no request has passed since Greenlight started: if Slack's requests are refused too, check SLACK_SIGNING_SECRET against the Signing Secret in the app's Basic Information (not its Client Secret)";
const ROTATED_SECRET_FIX =
  "no request has passed for a minute: if Slack's requests are refused too, the Signing Secret may have been regenerated in the app's Basic Information: set SLACK_SIGNING_SECRET to it and restart Greenlight";
/** How long with every request refused before a mismatch is more likely a changed secret than a forgery. */
const SECRET_QUIET_MS = 60_000;

/**
 * What to tell the operator about a refused signature: before any request has passed, or when none has for a minute
 * (the secret regenerated, every person's command refused), a mismatch is more likely a wrong secret than a forgery.
 */
export function wrongSecretHint(reason: string, lastVerifiedAt: number | undefined, now: number): string | undefined {
  if (reason !== 'signature mismatch') return undefined;
  if (lastVerifiedAt === undefined) return WRONG_SECRET_FIX;
  return now - lastVerifiedAt > SECRET_QUIET_MS ? ROTATED_SECRET_FIX : undefined;
}

/**
 * Greenlight's HTTP front door: `GET /healthz` (and HEAD), and `POST /slack/events` checked here (size,
 * signature, timestamp both ways) before Bolt sees it. Nothing unsigned reaches a listener.
 */
export function createHttpServer(deps: HttpServerDeps): http.Server {
  const budget = new BodyBudget(deps.unverifiedBodyBudget ?? UNVERIFIED_BODY_BUDGET_BYTES);
  // Said once a minute at most, with how many were dropped meanwhile: a flood must not flood the log too.
  const drops = new RepeatFilter();
  let lastVerifiedAt: number | undefined;
  const server = http.createServer(SERVER_TIMEOUTS, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // HEAD too: some load balancers and monitors probe with it (Node leaves the body out of a HEAD answer itself).
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/healthz') {
      const healthy = deps.health();
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: healthy }));
      return;
    }
    if (req.method === 'POST' && path !== EVENTS_PATH) {
      // Slack checks only the Event Subscriptions URL when it is saved: a slash command's or interactivity's Request URL
      // with a typo (a trailing slash, a proxy's prefix) fails every press silently. A request signed by Slack there is
      // said, once a minute, with the path to set; anything else is only a 404.
      void sentToWrongPath(req, deps, budget, drops, path).finally(() => res.writeHead(404).end());
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    readBody(req, BODY_LIMIT_BYTES, budget)
      .then((read) => {
        if (read === 'aborted') return;
        if (read === 'too_large') {
          // Said once a minute with a count, as every refusal anyone can send without the secret: one line per request
          // would let a flood fill the disk the database is on.
          const said = drops.pass('too_large', deps.clock());
          if (said) deps.logger.log(LogLevel.WARN, 'request refused: body too large', { limit: BODY_LIMIT_BYTES, refusedSinceLastSaid: said.held });
          // Answered at once and the connection closed: the rest of the body is never read.
          res.writeHead(413, { connection: 'close' }).end();
          return;
        }
        if (read === 'over_budget') {
          const said = drops.pass('over_budget', deps.clock());
          if (said) deps.logger.log(LogLevel.WARN, 'request refused: too many unchecked bodies being read', { budgetBytes: budget.limit, refusedSinceLastSaid: said.held });
          // Slack retries what is not answered 2xx; the sender is told when, and the connection is let go.
          res.writeHead(503, { connection: 'close', 'retry-after': '1' }).end();
          return;
        }
        const body = read;
        const check = verifySlackSignature(
          deps.signingSecret,
          body,
          header(req, 'x-slack-request-timestamp'),
          header(req, 'x-slack-signature'),
          deps.clock(),
        );
        if (!check.ok) {
          // Slack's SSL check is the one unsigned request: answered here and never passed on, because Bolt
          // dispatches whatever else the body carries (a `payload=` next to `ssl_check=1` would press buttons).
          if (isSslCheck(req, body)) {
            res.writeHead(200).end();
            return;
          }
          const now = deps.clock();
          const hint = wrongSecretHint(check.reason, lastVerifiedAt, now);
          const fix = hint === undefined ? {} : { fix: hint };
          // Once a minute per kind of refusal (a skewed timestamp is one kind, whatever its number of seconds).
          const kind = check.reason.startsWith('timestamp') ? 'timestamp' : check.reason;
          const said = drops.pass(`bad_signature:${kind}:${hint !== undefined}`, now);
          if (said) deps.logger.log(LogLevel.WARN, 'request refused: bad signature', { reason: check.reason, ...fix, refusedSinceLastSaid: said.held });
          res.writeHead(401).end();
          return;
        }
        lastVerifiedAt = deps.clock();
        if (!carriesObject(req, body)) {
          deps.logger.log(LogLevel.WARN, 'request refused: body is not a JSON object');
          res.writeHead(400).end();
          return;
        }
        // Bolt reuses an already-read body (rawBody) instead of reading the stream again.
        Object.assign(req, { rawBody: body });
        deps.receiver.requestListener(req, res);
      })
      .catch((error: unknown) => {
        const said = drops.pass('unreadable', deps.clock());
        if (said) deps.logger.log(LogLevel.WARN, 'request refused: unreadable body', { error: String(error), refusedSinceLastSaid: said.held });
        if (!res.headersSent) res.writeHead(400).end();
      });
  });
  server.maxConnections = deps.maxConnections ?? MAX_CONNECTIONS;
  // Once listening, an error on the server (an accept that failed: out of file descriptors) is logged and the server
  // goes on; unheard, the first would be lost in the start's spent listener and the next would stop the process.
  server.on('listening', () => {
    server.on('error', (error: NodeJS.ErrnoException) => {
      deps.logger.log(LogLevel.ERROR, 'the HTTP server reported an error; still listening', { error: error.message, code: error.code });
    });
  });
  server.on('drop', () => {
    const said = drops.pass('drop', deps.clock());
    if (said) deps.logger.log(LogLevel.WARN, 'connection refused: too many open', { limit: server.maxConnections, droppedSinceLastSaid: said.held });
  });
  return server;
}

/** Logs a request Slack signed that came to `path` instead of EVENTS_PATH (read within the body limit, else ignored). */
async function sentToWrongPath(req: http.IncomingMessage, deps: HttpServerDeps, budget: BodyBudget, drops: RepeatFilter, path: string): Promise<void> {
  // Within the same budget as every body not checked yet: a flood of them to any path holds no more memory.
  const read = await readBody(req, BODY_LIMIT_BYTES, budget).catch(() => undefined);
  if (!Buffer.isBuffer(read)) return;
  const check = verifySlackSignature(deps.signingSecret, read, header(req, 'x-slack-request-timestamp'), header(req, 'x-slack-signature'), deps.clock());
  if (!check.ok) return;
  const said = drops.pass('wrong_path', deps.clock());
  if (said) {
    deps.logger.log(LogLevel.WARN, 'Slack sent a request to another path than /slack/events: it was answered 404, and the person saw it fail', {
      path: path.slice(0, 200),
      fix: `set every Request URL in the app's settings (Slash Commands, Interactivity & Shortcuts, Event Subscriptions) to https://<this host>${EVENTS_PATH}; behind a proxy that adds a prefix, have the proxy pass the path on as ${EVENTS_PATH}`,
      refusedSinceLastSaid: said.held,
    });
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Slack's unsigned SSL check (`ssl_check=1`, form-encoded). */
function isSslCheck(req: http.IncomingMessage, body: Buffer): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1';
}

/** JSON's own whitespace, as it may be written (percent-encoded or as `+`) at the start of a form value. */
const ENCODED_WHITESPACE = /^(?:[ \t\n\r+]|%20|%09|%0a|%0d)*/i;

/**
 * Whether the body Bolt is about to parse is a JSON object (or plain form fields). Bolt reads `body.ssl_check` of
 * whatever the JSON is, outside any handler: a signed `null` stopped the whole process. A text opening with `{`
 * either parses to an object or fails to parse (which Bolt answers 400), so the first character is enough and
 * the JSON is never parsed twice.
 */
function carriesObject(req: http.IncomingMessage, body: Buffer): boolean {
  const text = body.toString('utf8');
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return text.trimStart().startsWith('{');
  const value = payloadValue(text);
  // No payload field (a slash command's form fields), or several (Bolt then hands on the whole form): an object.
  if (value === undefined) return true;
  const rest = value.slice(ENCODED_WHITESPACE.exec(value)?.[0].length ?? 0);
  return rest.startsWith('{') || rest.slice(0, 3).toUpperCase() === '%7B';
}

/**
 * The still-encoded value of the one form field named `payload`, as Bolt's `querystring.parse` finds it: names are
 * decoded too, so `pay%6Coad=null` is that field. Undefined when there is none, or more than one.
 */
function payloadValue(form: string): string | undefined {
  let found: string | undefined;
  for (const pair of form.split('&')) {
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = /[%+]/.test(rawName) ? querystring.unescape(rawName.replace(/\+/g, ' ')) : rawName;
    if (name !== 'payload') continue;
    if (found !== undefined) return undefined;
    found = equals === -1 ? '' : pair.slice(equals + 1);
  }
  return found;
}

/** The bytes of unchecked bodies held at once, shared by every connection. */
class BodyBudget {
  private held = 0;

  constructor(readonly limit: number) {}

  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }
}

/** Why a body was not read whole: over the per-request limit, over the shared budget, or its sender left. */
type BodyRead = Buffer | 'too_large' | 'over_budget' | 'aborted';

/**
 * The whole body, or why not, as soon as it is known (a declared length over the limit, or the bytes read so far
 * over the limit or the budget): reading stops there, so a sender cannot keep Greenlight busy with an endless body. Its bytes
 * count against `budget` until it is whole or abandoned.
 */
function readBody(req: http.IncomingMessage, limit: number, budget: BodyBudget): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.pause();
      resolve('too_large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      budget.give(size);
      req.off('data', onData);
      return true;
    };
    const stop = (why: 'too_large' | 'over_budget') => {
      if (!settle()) return;
      req.pause();
      chunks.length = 0;
      resolve(why);
    };
    function onData(chunk: Buffer): void {
      if (size + chunk.length > limit) return stop('too_large');
      if (!budget.take(chunk.length)) return stop('over_budget');
      size += chunk.length;
      chunks.push(chunk);
    }
    req.on('data', onData);
    req.on('end', () => {
      if (settle()) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (settle()) reject(error);
    });
    // A sender gone mid-body (or cut off by the request timeout) gives its bytes back; there is no one to answer.
    req.on('close', () => {
      if (settle()) resolve('aborted');
    });
  });
}
