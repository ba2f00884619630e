import { LogLevel, type SocketModeReceiver } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import { isRecord } from './payload';

type SocketClient = SocketModeReceiver['client'];
type MessageListener = (data: string | ArrayBuffer, isBinary: boolean) => unknown;

/**
 * Makes every Socket Mode message safe to receive, and a reconnect Slack asks for wait for `beforeDisconnect` (the
 * answers being made on the socket). The socket client reads each message in an async listener whose
 * failures nobody handles, so an envelope it cannot read stops Greenlight as an unhandled failure: Slack's
 * `app_rate_limited` notice (an Events API envelope with no inner event, sent when a workspace's events pass Slack's
 * hourly limit) did, over and over while the limit lasted. Such a notice is acknowledged and said in a warning; any
 * other failure to read a message is logged and the connection goes on.
 */
export function guardSocketMessages(client: SocketClient, logger: StructuredLogger, beforeDisconnect: () => Promise<void> = () => Promise.resolve()): void {
  const listeners = client.listeners('ws_message') as MessageListener[];
  client.removeAllListeners('ws_message');
  const acknowledge = ackOf(client);
  const others = new OtherConnections(logger);
  client.on('ws_message', (data: string | ArrayBuffer, isBinary: boolean) => {
    // Read once here for every check (the client reads it again, as it always does).
    const message = isBinary ? undefined : readMessage(data);
    if (isRecord(message) && message.type === 'hello') others.hello(message.num_connections);
    const notice = eventlessEnvelope(message);
    if (notice !== undefined) {
      logEventsNotice(logger, notice.type);
      if (notice.envelopeId !== undefined) {
        acknowledge?.(notice.envelopeId).catch((error: unknown) => logger.log(LogLevel.WARN, 'Socket Mode notice not acknowledged', { error: String(error) }));
      }
      return;
    }
    // Slack asking for a reconnect (`disconnect`: refresh_requested, warning, link_disabled): the client closes the socket
    // at once, which would drop the answers still being made.
    const before = isRecord(message) && message.type === 'disconnect' ? beforeDisconnect() : Promise.resolve();
    for (const listener of listeners) {
      before
        .then(() => listener(data, isBinary))
        .catch((error: unknown) => logger.log(LogLevel.ERROR, 'a Socket Mode message could not be read; the connection goes on', { error: String(error) }));
    }
  });
}

/**
 * Slack hands each request to one of the connections open on the app token, whichever process holds it: a second
 * Greenlight started with the same .env (a laptop's `npm run dev` beside the server), on a database of its own, gets
 * half the presses and answers "That moment no longer exists". Slack's hello says how many connections are open; more
 * than this one is said once: at the first connect by the process that came second, at its next reconnect (Slack asks
 * every few hours) by the one running before. The socket client opens a new connection only once the old one is
 * closed, so a reconnect alone counts one. Expected only while a deploy hands over.
 */
class OtherConnections {
  private told = false;

  constructor(private readonly logger: StructuredLogger) {}

  hello(count: unknown): void {
    if (this.told || typeof count !== 'number' || count <= 1) return;
    this.told = true;
    this.logger.log(LogLevel.WARN, 'another process is connected to Slack with this SLACK_APP_TOKEN: Slack hands each request to one of them', {
      connections: count,
      fix: 'expected while a deploy hands over; otherwise stop the other one (a second npm start, or npm run dev with the same .env): presses that reach it are answered from its own database',
    });
  }
}

/** An Events API notice that carries no event (`app_rate_limited`), said in a warning the operator can act on. */
export function logEventsNotice(logger: StructuredLogger, type: string): void {
  logger.log(LogLevel.WARN, 'Slack sent an Events API notice instead of an event', {
    type,
    ...(type === 'app_rate_limited'
      ? { meaning: "Slack is rate limiting Greenlight's events (over 30,000 an hour in this workspace): flag reactions are not sent until the hour is out; /moment and the shortcut still work" }
      : {}),
  });
}

/** A message's JSON; undefined when it is none (the client's own reading logs and drops it). */
function readMessage(data: string | ArrayBuffer): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

/** An `events_api` envelope whose payload holds no event (`app_rate_limited`): its type and envelope id. */
function eventlessEnvelope(message: unknown): { readonly type: string; readonly envelopeId: string | undefined } | undefined {
  if (!isRecord(message) || message.type !== 'events_api') return undefined;
  const payload = isRecord(message.payload) ? message.payload : undefined;
  if (payload !== undefined && isRecord(payload.event)) return undefined;
  return { type: typeof payload?.type === 'string' ? payload.type : 'unknown', envelopeId: typeof message.envelope_id === 'string' ? message.envelope_id : undefined };
}

/** The client's way to acknowledge an envelope (its `send`, not part of its typed interface); undefined if it has none. */
function ackOf(client: SocketClient): ((envelopeId: string) => Promise<void>) | undefined {
  const send: unknown = (client as unknown as { send?: unknown }).send;
  if (typeof send !== 'function') return undefined;
  return (envelopeId) => Promise.resolve(send.call(client, envelopeId, {})).then(() => undefined);
}
