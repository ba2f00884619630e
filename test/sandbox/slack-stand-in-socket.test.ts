import { SocketModeReceiver } from '@slack/bolt';
import { WebAPIPlatformError } from '@slack/web-api';
import { WebSocket } from 'ws';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { clientFor, closeStandIns, rejectionOf, silent, startStandIn, TOKEN } from './stand-in-client';

const APP_TOKEN = 'xapp-1-A0GREENLIGHT-1-sandbox';

const opened: WebSocket[] = [];
afterEach(async () => {
  for (const ws of opened.splice(0)) ws.terminate();
  await closeStandIns();
});

async function connectionUrl(standIn: SlackStandIn): Promise<string> {
  const answer = await clientFor(standIn, {}, APP_TOKEN).apps.connections.open({});
  return String(answer.url);
}

/** A raw client: every text message it receives, parsed, in order. */
function connect(url: string): Promise<{ ws: WebSocket; received: unknown[] }> {
  const ws = new WebSocket(url);
  opened.push(ws);
  const received: unknown[] = [];
  ws.on('message', (data) => received.push(JSON.parse(data.toString())));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, received }));
    ws.once('error', reject);
  });
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never saw ${what}`);
}


describe('apps.connections.open', () => {
  it('hands an app-level token a single-use ws:// link on the stand-in itself', async () => {
    const standIn = await startStandIn({ token: TOKEN, appToken: APP_TOKEN });

    const url = await connectionUrl(standIn);

    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${standIn.port}/socket-mode/[0-9a-f-]{36}$`));
    expect(standIn.callsTo('apps.connections.open')[0]?.token).toBe(APP_TOKEN);
  });

  it('refuses a bot token with invalid_auth and no token with not_authed', async () => {
    const standIn = await startStandIn({ token: TOKEN, appToken: APP_TOKEN });

    const withBot = await rejectionOf(clientFor(standIn).apps.connections.open({}));
    const withNone = await rejectionOf(clientFor(standIn, {}, null).apps.connections.open({}));

    expect((withBot as WebAPIPlatformError).data.error).toBe('invalid_auth');
    expect((withNone as WebAPIPlatformError).data.error).toBe('not_authed');
  });

  it('does not let an app-level token call bot methods', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });

    const failure = await rejectionOf(clientFor(standIn, {}, APP_TOKEN).chat.postMessage({ channel: 'C0REVIEW', text: 'x' }));

    expect((failure as WebAPIPlatformError).data.error).toBe('not_allowed_token_type');
    expect(standIn.messages()).toHaveLength(0);
  });
});

describe('a Socket Mode connection', () => {
  it('is greeted with Slack hello and counted', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });

    const { received } = await connect(await connectionUrl(standIn));
    await standIn.waitForSocket();
    await eventually(() => received.length > 0, 'the hello');

    expect(received[0]).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'sandbox', approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0GREENLIGHT' },
    });
    expect(standIn.socketConnections()).toBe(1);
  });

  it('cannot be opened twice with the same link, nor without one', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });
    const url = await connectionUrl(standIn);
    await connect(url);

    await expect(connect(url)).rejects.toThrow(/401/);
    await expect(connect(`ws://127.0.0.1:${standIn.port}/socket-mode/made-up`)).rejects.toThrow(/401/);
    expect(standIn.socketConnections()).toBe(1);
  });

  it('delivers an envelope and resolves with the ack payload', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });
    const { ws, received } = await connect(await connectionUrl(standIn));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string };
      if (message.envelope_id) ws.send(JSON.stringify({ envelope_id: message.envelope_id, payload: { text: 'got it' } }));
    });

    const ack = await standIn.sendSocketEnvelope('slash_commands', { command: '/moment', text: 'hi' });

    expect(ack.ackPayload).toEqual({ text: 'got it' });
    expect(received[1]).toEqual({ envelope_id: ack.envelopeId, payload: { command: '/moment', text: 'hi' }, type: 'slash_commands', accepts_response_payload: true });
  });

  it('marks events_api envelopes with their retry attempt and reason', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });
    const { ws, received } = await connect(await connectionUrl(standIn));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string };
      if (message.envelope_id) ws.send(JSON.stringify({ envelope_id: message.envelope_id }));
    });

    const ack = await standIn.sendSocketEnvelope('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });

    expect(ack.ackPayload).toBeUndefined();
    expect(received[1]).toMatchObject({ envelope_id: ack.envelopeId, type: 'events_api', retry_attempt: 0, retry_reason: '' });
  });

  it('rejects naming the envelope when no ack comes in time, and at once when nobody is connected', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });

    await expect(standIn.sendSocketEnvelope('interactive', { type: 'block_actions' })).rejects.toThrow(/No Socket Mode connection is open/);
    await connect(await connectionUrl(standIn));
    await expect(standIn.sendSocketEnvelope('interactive', { type: 'block_actions' }, { timeoutMs: 100 })).rejects.toThrow(
      /No ack for the interactive envelope .* within 100 ms/,
    );
  });

  it('is closed by close(), which also refuses what waits for an ack', async () => {
    const standIn = await startStandIn({ appToken: APP_TOKEN });
    const { ws } = await connect(await connectionUrl(standIn));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const waiting = standIn.sendSocketEnvelope('interactive', { type: 'block_actions' }, { timeoutMs: 5000 });

    await standIn.close();

    await expect(waiting).rejects.toThrow(/closed/);
    expect(await closed).toBe(1001);
    expect(standIn.socketConnections()).toBe(0);
  });
});

describe('the Socket Mode client Bolt uses', () => {
  it('stays connected through its pings, reconnects after a disconnect request, and acks', async () => {
    const standIn = await startStandIn({ token: TOKEN, appToken: APP_TOKEN, socketPingMs: 100 });
    // Pings every 100 ms and a 300 ms pong deadline: a stand-in that did not answer pings would be dropped at once.
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      logger: silent,
      clientPingTimeout: 300,
      serverPingTimeout: 1000,
      installerOptions: { clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 } } },
    });
    const client = receiver.client;
    client.on('slash_commands', ({ ack }: { ack: (response?: Record<string, unknown>) => Promise<void> }) => void ack({ text: 'pong' }));
    try {
      await client.start();
      await new Promise((r) => setTimeout(r, 1000));
      expect(standIn.socketConnections()).toBe(1);

      standIn.sendSocketDisconnect('refresh_requested');
      await standIn.waitFor(() => standIn.callsTo('apps.connections.open').length === 2, 3000, 'a reconnect');
      await standIn.waitForSocket(3000);
      const ack = await standIn.sendSocketEnvelope('slash_commands', { command: '/moment', text: '' });

      expect(ack.ackPayload).toEqual({ text: 'pong' });
      expect(standIn.socketConnections()).toBe(1);
    } finally {
      await client.disconnect();
    }
    await standIn.waitFor(() => standIn.socketConnections() === 0, 2000, 'the client to close');
  });
});
