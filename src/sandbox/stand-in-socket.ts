import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isRecord } from './stand-in-types';

/** The envelope types Slack delivers over a Socket Mode connection. */
export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketEnvelopeOptions {
  /** How long to wait for the ack; Slack's own deadline is 3 s. */
  timeoutMs?: number;
  /** Default true. (Slack itself sends false for events_api and block_actions; Bolt does not read it.) */
  acceptsResponsePayload?: boolean;
  /** events_api only: a redelivery after a missed ack (Slack counts from 0). */
  retryAttempt?: number;
  retryReason?: string;
}

export interface SocketAck {
  envelopeId: string;
  /** What the app sent back in `payload`, e.g. a slash command's ephemeral reply; undefined when it sent none. */
  ackPayload: unknown;
}

/** Why Slack asks a client to go: `warning` comes ~10 s before a `refresh_requested`. */
export type SocketDisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

interface PendingAck {
  readonly connectionId: string;
  readonly resolve: (ack: SocketAck) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export const SOCKET_PATH = '/socket-mode/';
const DEFAULT_ACK_MS = 3000;
const CLOSE_GRACE_MS = 500;

/**
 * Slack's side of Socket Mode: single-use connection URLs handed out by apps.connections.open, the hello on connect,
 * server pings, envelopes that wait for their ack, and `disconnect` requests.
 */
export class SocketHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Issued by apps.connections.open and not used yet. */
  private readonly tickets = new Set<string>();
  /** Open connections after their hello, oldest first. */
  private readonly open = new Map<string, WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly appId: string,
    private readonly log: ((line: string) => void) | undefined,
    pingMs = 10_000,
  ) {
    this.pinger = setInterval(() => {
      for (const ws of this.open.values()) ws.ping(Buffer.from(`ping from the stand-in (${Date.now()})`));
    }, pingMs);
    this.pinger.unref();
  }

  /** apps.connections.open: a URL that accepts one connection. */
  issue(port: number): string {
    const id = randomUUID();
    this.tickets.add(id);
    return `ws://127.0.0.1:${port}${SOCKET_PATH}${id}`;
  }

  connections(): number {
    return this.open.size;
  }

  /** The server's `upgrade` event: only an issued, unused ticket is accepted, as with Slack's links. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined); // a client that hangs up mid-handshake; nothing to tell it
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const id = path.startsWith(SOCKET_PATH) ? decodeURIComponent(path.slice(SOCKET_PATH.length)) : '';
    if (!this.tickets.delete(id)) {
      this.log?.(`stand-in: socket upgrade refused (${path.startsWith(SOCKET_PATH) ? 'unknown or used link' : 'not a socket path'})`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(id, ws));
  }

  /** Sends an envelope to the newest connection and resolves with the client's ack. */
  send(type: SocketEnvelopeType, payload: Record<string, unknown>, options: SocketEnvelopeOptions, describe: () => string): Promise<SocketAck> {
    const target = [...this.open].pop();
    if (target === undefined) {
      return Promise.reject(new Error(`No Socket Mode connection is open to deliver a ${type} envelope; ${describe()}`));
    }
    const [connectionId, ws] = target;
    const envelopeId = randomUUID();
    const timeoutMs = options.timeoutMs ?? DEFAULT_ACK_MS;
    const retry = type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' } : {};
    const envelope = { envelope_id: envelopeId, payload, type, accepts_response_payload: options.acceptsResponsePayload ?? true, ...retry };
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`No ack for the ${type} envelope ${envelopeId} within ${timeoutMs} ms (${this.open.size} socket connections open); ${describe()}`));
      }, timeoutMs);
      this.pending.set(envelopeId, { connectionId, resolve, reject, timer });
      this.log?.(`stand-in: socket ${connectionId.slice(0, 8)} <- ${type} ${envelopeId}`);
      ws.send(JSON.stringify(envelope), (error) => {
        if (error) this.settle(envelopeId, new Error(`Sending the ${type} envelope failed: ${error.message}`));
      });
    });
  }

  /** Asks every client to reconnect, as Slack does before recycling a server. */
  disconnectAll(reason: SocketDisconnectReason): void {
    for (const ws of this.open.values()) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'sandbox' } }));
  }

  /** Closes every connection (1001, then forcibly after a grace period) and refuses what still waits for an ack. */
  async close(): Promise<void> {
    clearInterval(this.pinger);
    this.tickets.clear();
    const sockets = [...this.wss.clients];
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) {
              resolve();
              return;
            }
            const force = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
            ws.once('close', () => {
              clearTimeout(force);
              resolve();
            });
            ws.close(1001, 'stand-in closing');
          }),
      ),
    );
    for (const id of [...this.pending.keys()]) this.settle(id, new Error('The stand-in closed before the envelope was acked'));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(id: string, ws: WebSocket): void {
    this.open.set(id, ws);
    ws.on('message', (data, isBinary) => this.receive(id, data, isBinary));
    ws.on('error', (error) => this.log?.(`stand-in: socket ${id.slice(0, 8)} error: ${error.message}`));
    ws.on('close', (code) => {
      this.open.delete(id);
      this.log?.(`stand-in: socket ${id.slice(0, 8)} closed (${code}); ${this.open.size} open`);
      for (const [envelopeId, waiting] of this.pending) {
        if (waiting.connectionId === id) this.settle(envelopeId, new Error(`The socket closed (${code}) before the envelope ${envelopeId} was acked`));
      }
    });
    this.log?.(`stand-in: socket ${id.slice(0, 8)} connected; ${this.open.size} open`);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: { host: 'sandbox', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  /** A client message is an ack, `{ envelope_id, payload? }`; anything else is logged and dropped, as Slack does. */
  private receive(id: string, data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const envelopeId = isRecord(message) && typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    if (envelopeId === undefined || !isRecord(message) || !this.pending.has(envelopeId)) {
      this.log?.(`stand-in: socket ${id.slice(0, 8)} sent ${envelopeId === undefined ? 'a message that is not an ack' : `an ack for unknown envelope ${envelopeId}`}`);
      return;
    }
    this.log?.(`stand-in: socket ${id.slice(0, 8)} -> ack ${envelopeId}`);
    this.settle(envelopeId, { envelopeId, ackPayload: message.payload });
  }

  private settle(envelopeId: string, outcome: SocketAck | Error): void {
    const waiting = this.pending.get(envelopeId);
    if (waiting === undefined) return;
    this.pending.delete(envelopeId);
    clearTimeout(waiting.timer);
    if (outcome instanceof Error) waiting.reject(outcome);
    else waiting.resolve(outcome);
  }
}

/** The app id inside an app-level token (`xapp-1-A0123-…`), as Slack's hello reports it. */
export function appIdOf(appToken: string | undefined, fallback: string): string {
  const match = /^xapp-\d+-(A[A-Z0-9]+)-/.exec(appToken ?? '');
  return match?.[1] ?? fallback;
}
