import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ChannelRateLimiter, FaultBook, faultAnswer } from './stand-in-faults';
import { describeBody, readBody, readResponseUrlPost, send, type Answer } from './stand-in-http';
import { methods } from './stand-in-methods';
import { CONNECTIONS_OPEN, parseRequest, str, tokenError } from './stand-in-params';
import { appIdOf, SocketHub, type SocketAck, type SocketDisconnectReason, type SocketEnvelopeOptions, type SocketEnvelopeType } from './stand-in-socket';
import { StandInState } from './stand-in-state';
import type {
  EphemeralMessage,
  FaultRule,
  MethodResult,
  OpenedView,
  RecordedCall,
  ResponseUrlPost,
  StandInOptions,
  StandInUser,
  StoredMessage,
} from './stand-in-types';
import { fail, isRecord, ok } from './stand-in-types';
import { describeCalls, pollUntil } from './stand-in-wait';

export type {
  EphemeralMessage,
  Fault,
  FaultRule,
  OpenedView,
  RecordedCall,
  ResponseUrlPost,
  StandInOptions,
  StandInUser,
  StoredMessage,
} from './stand-in-types';
export type { SocketAck, SocketDisconnectReason, SocketEnvelopeOptions, SocketEnvelopeType } from './stand-in-socket';


/**
 * A local stand-in for the Slack Web API: answers methods the way Slack does, records every call,
 * and fails on demand. Point a WebClient at it with `slackApiUrl: standIn.url`. With an app-level token,
 * apps.connections.open opens Socket Mode connections on the same port (see stand-in-socket.ts).
 */
export class SlackStandIn {
  /** Every /api call, refused ones included, with what was answered. */
  calls: RecordedCall[] = [];
  private readonly server: Server;
  private readonly state: StandInState;
  private readonly faults = new FaultBook();
  private readonly limiter: ChannelRateLimiter;
  private readonly log: ((line: string) => void) | undefined;
  private readonly delayed = new Set<NodeJS.Timeout>();
  private readonly sockets: SocketHub;
  private boundPort = 0;
  private seq = 0;

  constructor(private readonly options: StandInOptions = {}) {
    this.state = new StandInState(options);
    this.limiter = new ChannelRateLimiter(options.postsPerSecondPerChannel);
    this.log = options.log;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log?.(`stand-in: request failed: ${error instanceof Error ? error.message : String(error)}`);
        send(res, { status: 500, body: { ok: false, error: 'internal_error' } });
      });
    });
    this.sockets = new SocketHub(appIdOf(options.appToken, 'A0GREENLIGHT'), this.log, options.socketPingMs);
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.sockets.upgrade(req, socket, head));
  }

  /** http://127.0.0.1:PORT/api/ */
  get url(): string {
    return `http://127.0.0.1:${this.boundPort}/api/`;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Used by startSlackStandIn; resolves once the server accepts connections. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.boundPort = isRecord(address) && typeof address.port === 'number' ? address.port : 0;
        this.log?.(`stand-in: listening on ${this.url}`);
        resolve();
      });
    });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Current state (after updates), in post order; copies, so later changes do not show through. */
  messages(channel?: string): StoredMessage[] {
    return this.state.messages.filter((m) => channel === undefined || m.channel === channel).map((m) => ({ ...m }));
  }

  /**
   * A message someone else wrote (a person, or another app with its own token), as it would sit in the channel; with
   * `files`, a person's post of images or files with `text` as its caption.
   */
  postAs(user: string, channel: string, text: string, metadata?: StoredMessage['metadata'], files?: unknown[]): StoredMessage {
    const message: StoredMessage = { channel, ts: this.state.nextTs(Date.now()), user, text, blocks: [], updates: 0, ...(metadata ? { metadata } : {}), ...(files ? { files } : {}) };
    this.state.messages.push(message);
    return { ...message };
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    const found = this.state.findMessage(channel, ts);
    return found === undefined ? undefined : { ...found };
  }

  ephemerals(user?: string): EphemeralMessage[] {
    return this.state.ephemerals.filter((e) => user === undefined || e.user === user);
  }

  /** A response_url for slash-command or action payloads; posts to it are kept under `key`. */
  responseUrl(key: string): string {
    return `http://127.0.0.1:${this.boundPort}/respond/${encodeURIComponent(key)}`;
  }

  /** Ends the life of a response_url (Slack's is 30 minutes): later posts to it are answered 404 expired_url. */
  expireResponseUrl(key: string): void {
    this.state.expiredResponseUrls.add(key);
  }

  responses(key?: string): ResponseUrlPost[] {
    return this.state.responses.filter((r) => key === undefined || r.key === key);
  }

  /** The last view published to that user's Home tab, as the bot sent it. */
  homeView(user: string): unknown | undefined {
    return this.state.homeViews.get(user)?.view;
  }

  /** Views opened with views.open or views.push, as they are now (after views.update). */
  openedViews(): OpenedView[] {
    return this.state.openedViews();
  }

  dmChannelFor(user: string): string {
    return this.state.dmChannelFor(user);
  }

  inject(rule: FaultRule): void {
    this.faults.inject(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setPostsPerSecondPerChannel(n: number | undefined): void {
    this.limiter.setLimit(n);
  }

  setUsergroup(id: string, members: string[]): void {
    this.state.usergroups.set(id, [...members]);
  }

  addUser(u: StandInUser): void {
    this.state.users.set(u.id, { ...u });
  }

  /** Polls `predicate` every ~10 ms; on timeout, rejects naming `what` and the calls received so far. */
  waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
    return pollUntil(predicate, timeoutMs, what, () => describeCalls(this.calls));
  }

  /**
   * Delivers an envelope over the newest Socket Mode connection, as Slack does, and resolves with the app's ack
   * (`ackPayload` is what it sent back, e.g. a slash command's reply). Rejects when no connection is open,
   * the socket closes first, or no ack comes within `timeoutMs` (default 3000, Slack's deadline).
   */
  sendSocketEnvelope(type: SocketEnvelopeType, payload: Record<string, unknown>, options: SocketEnvelopeOptions = {}): Promise<SocketAck> {
    return this.sockets.send(type, payload, options, () => describeCalls(this.calls));
  }

  /** Open Socket Mode connections (those that got their hello). */
  socketConnections(): number {
    return this.sockets.connections();
  }

  waitForSocket(timeoutMs = 5000, count = 1): Promise<void> {
    return this.waitFor(() => this.sockets.connections() >= count, timeoutMs, `${count} Socket Mode connection(s)`);
  }

  /** Sends Slack's `disconnect` message to every connection; the Socket Mode client then reconnects. */
  sendSocketDisconnect(reason: SocketDisconnectReason = 'refresh_requested'): void {
    this.sockets.disconnectAll(reason);
  }

  /** Forgets calls, messages, ephemerals, responses, views and faults; keeps users and user groups. */
  reset(): void {
    this.calls.splice(0);
    this.seq = 0;
    this.state.clear();
    this.faults.clear();
    this.limiter.clear();
  }

  /** Closes Socket Mode connections (1001), then the server. */
  async close(): Promise<void> {
    this.delayed.forEach((timer) => clearTimeout(timer));
    this.delayed.clear();
    await this.sockets.close();
    await new Promise<void>((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      // Keep-alive sockets (fetch keeps them) would hold close() open.
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined); // the client hung up; nothing to tell it
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      await this.handleApi(decodeURIComponent(url.pathname.slice('/api/'.length)), url, req, res);
    } else if (url.pathname.startsWith('/respond/')) {
      await this.handleResponseUrl(decodeURIComponent(url.pathname.slice('/respond/'.length)), req, res);
    } else {
      send(res, { status: 404, body: 'Not Found' });
    }
  }

  private async handleApi(method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const body = await readBody(req);
    const call: RecordedCall = { seq: ++this.seq, method, params: {}, token: undefined, headers: headersOf(req), at, status: 0, response: undefined };
    this.calls.push(call);
    if (body.tooLarge) {
      this.answer(call, res, { status: 413, body: { ok: false, error: 'request_too_large' } });
      return;
    }
    const parsed = parseRequest(req.headers['content-type'], body.text, url.searchParams, req.headers.authorization);
    if (!parsed.ok) {
      this.answer(call, res, fail(parsed.error));
      return;
    }
    call.params = parsed.params;
    call.token = parsed.token;
    if (!methods.has(method) && method !== CONNECTIONS_OPEN) {
      this.answer(call, res, { status: 404, body: { ok: false, error: 'unknown_method' } });
      return;
    }
    const channel = str(parsed.params, 'channel');
    const channels = channel === undefined ? [] : [channel, this.state.resolveChannel(channel)];
    const fault = this.faults.take(method, channels, at);
    if (fault === undefined) {
      this.answer(call, res, this.perform(method, parsed.params, parsed.token, at));
      return;
    }
    const outcome = faultAnswer(fault, () => this.perform(method, parsed.params, parsed.token, at));
    this.answer(call, res, outcome.answer, outcome.note, outcome.delayMs);
  }

  /** Auth, then Slack's posting limit, then the method itself. */
  private perform(method: string, params: Record<string, unknown>, token: string | undefined, now: number): MethodResult {
    const refused = tokenError(method, token, this.options);
    if (refused !== undefined) {
      return fail(refused);
    }
    if (method === CONNECTIONS_OPEN) {
      return ok({ url: this.sockets.issue(this.boundPort) });
    }
    if (method === 'chat.postMessage') {
      const channel = this.state.resolveChannel(str(params, 'channel') ?? '');
      if (!this.limiter.admit(channel, now)) {
        return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
      }
    }
    const handler = methods.get(method);
    return handler === undefined ? { status: 404, body: { ok: false, error: 'unknown_method' } } : handler(params, this.state, now);
  }

  private answer(call: RecordedCall, res: ServerResponse, given: Answer, note?: string, delayMs = 0): void {
    const scopes = this.options.botScopes;
    const answer = scopes === undefined ? given : { ...given, headers: { ...given.headers, 'x-oauth-scopes': scopes.join(',') } };
    call.status = answer.status;
    call.response = answer.body;
    const suffix = note === undefined ? '' : ` (${note})`;
    this.log?.(`stand-in: #${call.seq} ${call.method} -> ${answer.status} ${describeBody(answer.body)}${suffix}`);
    if (delayMs <= 0) {
      send(res, answer);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      send(res, answer);
    }, delayMs);
    this.delayed.add(timer);
  }

  private async handleResponseUrl(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readResponseUrlPost(req);
    const post: typeof read = this.state.expiredResponseUrls.has(key) ? { ok: false, status: 404, error: 'expired_url' } : read;
    if (post.ok) {
      this.state.responses.push({ key, body: post.body, at: Date.now() });
    }
    const answer: Answer = post.ok ? { status: 200, body: 'ok' } : { status: post.status, body: post.error };
    this.log?.(`stand-in: response_url ${key} -> ${answer.status} ${describeBody(answer.body)}`);
    send(res, answer);
  }
}

export async function startSlackStandIn(options: StandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new SlackStandIn(options);
  await standIn.listen();
  return standIn;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
