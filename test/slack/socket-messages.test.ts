import { EventEmitter } from 'node:events';
import { LogLevel, type SocketModeReceiver } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { guardSocketMessages } from '../../src/slack/socket-messages';

/** The socket client's message listener, guarded: what it cannot read is logged, never an unhandled failure. */

class FakeSocketClient extends EventEmitter {
  readonly sent: string[] = [];
  async send(envelopeId: string): Promise<void> {
    this.sent.push(envelopeId);
  }
}

function guarded(listener: (data: string) => Promise<void>) {
  const lines: string[] = [];
  const client = new FakeSocketClient();
  client.on('ws_message', listener);
  guardSocketMessages(client as unknown as SocketModeReceiver['client'], createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }));
  return { client, lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a message the client fails to read is logged, and the next one still reaches it', async () => {
  const read: string[] = [];
  const { client, lines } = guarded(async (data) => {
    if (data === 'bad') throw new TypeError("Cannot read properties of undefined (reading 'type')");
    read.push(data);
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    client.emit('ws_message', 'bad', false);
    client.emit('ws_message', 'good', false);
    await settle();
    await settle();
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
  expect(read).toEqual(['good']);
  expect(lines.some((line) => line.includes('a Socket Mode message could not be read') && line.includes('reading'))).toBe(true);
});

test("Slack's rate-limit notice is acknowledged and said, and not given to the client, which cannot read it", async () => {
  const read: string[] = [];
  const { client, lines } = guarded(async (data) => {
    read.push(data);
  });
  const notice = { type: 'events_api', envelope_id: 'env-1', payload: { type: 'app_rate_limited', team_id: 'T0', minute_rate_limited: 1518467820, api_app_id: 'A0' } };
  client.emit('ws_message', JSON.stringify(notice), false);
  const event = { type: 'events_api', envelope_id: 'env-2', payload: { type: 'event_callback', event: { type: 'reaction_added' } } };
  client.emit('ws_message', JSON.stringify(event), false);
  await settle();
  expect(client.sent).toEqual(['env-1']);
  expect(read).toEqual([JSON.stringify(event)]);
  expect(lines.filter((line) => line.includes('Slack is rate limiting'))).toHaveLength(1);
});

describe("another process on the same app token (Slack's hello counts the connections)", () => {
  const hello = (count: number) => JSON.stringify({ type: 'hello', num_connections: count, connection_info: { app_id: 'A0GREENLIGHT' } });
  const warned = (lines: string[]) => lines.filter((line) => line.includes('another process is connected to Slack with this SLACK_APP_TOKEN'));

  test('is said once when the first connect finds another, with what to do', async () => {
    const { client, lines } = guarded(async () => undefined);
    client.emit('ws_message', hello(2), false);
    client.emit('ws_message', hello(3), false);
    await settle();
    expect(warned(lines)).toHaveLength(1);
    expect(warned(lines)[0]).toContain('stop the other one');
  });

  test('is not said for this process alone, and is said by the process running before at its reconnect that finds the other', async () => {
    const { client, lines } = guarded(async () => undefined);
    client.emit('ws_message', hello(1), false);
    client.emit('ws_message', hello(1), false);
    await settle();
    expect(warned(lines)).toEqual([]);
    // (the socket client opens a new connection only once the old one closed: two at a reconnect is another process)
    client.emit('ws_message', hello(2), false);
    await settle();
    expect(warned(lines)).toHaveLength(1);
  });
});
