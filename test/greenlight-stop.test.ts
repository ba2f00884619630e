import net from 'node:net';
import { STOP_GRACE_MS } from '../src/greenlight';
import { PEOPLE, slackClient, startHarness, type Harness } from './helpers/harness';
import { signed, slashCommandBody } from './helpers/slack-requests';

/**
 * stop() (what SIGTERM runs) must end even when a client never finishes its request: a slow client, a proxy that
 * stalled, anyone who can reach the port. Requests already arriving still get the grace to be answered.
 */

let h: Harness;
let socket: net.Socket | undefined;
let logLines: string[];
beforeEach(async () => {
  logLines = [];
  h = await startHarness({ logLines });
});
afterEach(async () => {
  socket?.destroy();
  await h.close().catch(() => undefined);
});

/** Opens a raw connection and sends a POST's headers and the first `sent` bytes of `body`. */
async function startRequest(body: string, headers: Record<string, string>, sent: number): Promise<net.Socket> {
  const connection = net.connect(Number(new URL(h.baseUrl).port), '127.0.0.1');
  await new Promise<void>((resolve) => connection.once('connect', () => resolve()));
  const lines = Object.entries({ host: 'x', ...headers, 'content-length': String(Buffer.byteLength(body)) }).map(([k, v]) => `${k}: ${v}`);
  connection.write(`POST /slack/events HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body.slice(0, sent)}`);
  return connection;
}

/** The status line's code of the first response on `connection`, or 'closed' if it closes without one. */
function statusOf(connection: net.Socket): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    let text = '';
    connection.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    connection.once('close', () => resolve('closed'));
  });
}

test('stop() finishes within its grace while a client holds a half-sent request open', async () => {
  // given a connection that sent a POST's headers and part of its body, then went quiet
  socket = await startRequest('{"type":"event_callback","event":{}}', { 'content-type': 'application/json' }, 8);
  await new Promise((resolve) => setTimeout(resolve, 100));

  // when Greenlight is stopped
  const started = Date.now();
  const outcome = await Promise.race([
    h.app.stop().then(() => 'stopped'),
    new Promise<string>((resolve) => setTimeout(() => resolve('still stopping'), STOP_GRACE_MS + 2000)),
  ]);

  // then it stops once the grace has passed, well before a supervisor's SIGKILL
  expect(outcome).toBe('stopped');
  expect(Date.now() - started).toBeLessThan(STOP_GRACE_MS + 2000);
});

test('a request still arriving when stop() begins is answered and recorded if it completes within the grace', async () => {
  // given a signed /moment whose body is half sent
  const request = signed(slashCommandBody(PEOPLE.flagger, 'Oreo: dunk in the dark #sports'), 'application/x-www-form-urlencoded');
  socket = await startRequest(request.body, request.headers, 20);
  const status = statusOf(socket);
  await new Promise((resolve) => setTimeout(resolve, 100));

  // when Greenlight is stopped, and the rest of the body arrives within the grace
  const stopped = h.app.stop();
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.write(request.body.slice(20));

  // then the flagger is answered, and the moment is in the database
  expect(await status).toBe(200);
  await stopped;
  expect(h.countRows('moments')).toBe(1);
});

test('a flag reaction being turned into a moment when stop() begins is finished before the database closes', async () => {
  // given a message, and Slack slow to give it back when the flag reaction comes
  const slack = slackClient(h);
  const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'Power outage at the plant' });
  h.standIn.inject({ method: 'conversations.history', times: 1, fault: { kind: 'slow', delayMs: 500 } });
  const reaction = { type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: posted.ts } };
  expect((await h.event({ ...reaction, item_user: PEOPLE.ana, event_ts: (Date.now() / 1000).toFixed(6) }, 'Ev0STOPPING')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('conversations.history').length > 0, 3000, 'the read of the flagged message');

  // when Greenlight is stopped while that read is under way
  await h.app.stop();

  // then the moment was stored before the database closed, and nothing failed on a closed database
  expect(h.countRows('moments')).toBe(1);
  expect(h.countRows('reaction_intake')).toBe(0);
  expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
});

test('stop() ends within its grace while Slack is slow to answer a delivery in flight', async () => {
  // given Slack answering every DM-channel open and every post in 6 s (each under the client's 10 s timeout)
  h.standIn.inject({ method: 'conversations.open', times: 20, fault: { kind: 'slow', delayMs: 6_000 } });
  h.standIn.inject({ method: 'chat.postMessage', times: 20, fault: { kind: 'slow', delayMs: 6_000 } });
  expect((await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('conversations.open').length > 0, 5000, 'a DM channel being opened');

  // when Greenlight is stopped while that call is under way
  const started = Date.now();
  await h.app.stop();

  // then it stops within the grace, not after every call has run, and says so
  expect(Date.now() - started).toBeLessThan(STOP_GRACE_MS + 2000);
  expect(logLines.filter((line) => line.includes('stopping with deliveries in flight'))).toHaveLength(1);
}, 30_000);
