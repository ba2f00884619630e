import fs from 'node:fs';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import type { SlackStandIn, StoredMessage } from '../../src/sandbox/slack-stand-in';
import { ACTION } from '../../src/slack/ids';
import { parseTestRouting, PEOPLE, REVIEW_CHANNEL, testConfig } from '../helpers/harness';
import { APP_TOKEN, startSocketRig } from '../helpers/socket-rig';
import { WebClient } from '@slack/web-api';
import { blockActionPayload, BOT_TOKEN, eventPayload, slashCommandPayload } from '../helpers/slack-requests';

/** The real Greenlight in Socket Mode: no HTTP server, every request arrives as an envelope on the stand-in's socket. */

let standIn: SlackStandIn;
let app: Greenlight | undefined;
let dir: string;
let logLines: string[];

beforeEach(async () => {
  // Each (re)connect gives up after two calls (socketConnectRetries 1), so an outage longer than that is quick to make here.
  const rig = await startSocketRig();
  ({ standIn, app, dir, logLines } = rig);
});

afterEach(async () => {
  await app?.stop();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function command(userId: string, text: string) {
  return standIn.sendSocketEnvelope('slash_commands', slashCommandPayload(userId, text, { responseUrl: standIn.responseUrl(`cmd-${userId}`) }));
}

function press(userId: string, card: StoredMessage) {
  const value = approveValue(card);
  const payload = blockActionPayload(userId, ACTION.approve, value, { messageTs: card.ts, responseUrl: standIn.responseUrl(`click-${userId}`) });
  return standIn.sendSocketEnvelope('interactive', payload);
}

/** The Approve button's value, read off the card as a person's client would. */
function approveValue(card: StoredMessage): string {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record.action_id === ACTION.approve && typeof record.value === 'string') found.push(record.value);
      Object.values(record).forEach(visit);
    }
  };
  visit(card.blocks);
  if (found[0] === undefined) throw new Error('the card has no Approve button');
  return found[0];
}

function onlyCard(): StoredMessage {
  const cards = standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  expect(cards).toHaveLength(1);
  const card = cards[0];
  if (!card) throw new Error('no card');
  return card;
}

async function settle(): Promise<void> {
  await app?.worker.settled(10_000);
}

test('Greenlight connects with the app token and is greeted', () => {
  expect(standIn.socketConnections()).toBe(1);
  expect(standIn.callsTo('apps.connections.open').map((c) => [c.token, c.status])).toEqual([[APP_TOKEN, 200]]);
  const others = standIn.calls.filter((c) => c.method !== 'apps.connections.open');
  expect(others.length).toBeGreaterThan(0);
  expect(others.every((c) => c.token === BOT_TOKEN)).toBe(true);
});

test('a quick flag is acked with the ephemeral reply, then the card and the DM are posted', async () => {
  const ack = await command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await settle();

  expect(ack.ackPayload).toMatchObject({ response_type: 'ephemeral' });
  expect(String((ack.ackPayload as { text?: unknown }).text)).toContain('Flagging *Oreo*');
  expect(JSON.stringify(onlyCard().blocks)).toContain('dunk');
  expect(standIn.messages(standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);
});

test('a reviewer approves over the socket, after a non-reviewer is refused', async () => {
  await command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await settle();
  const before = onlyCard();

  const refused = await press(PEOPLE.outsider, onlyCard());
  await settle();
  expect(refused.ackPayload).toEqual({});
  expect(standIn.responses(`click-${PEOPLE.outsider}`).map((r) => String(r.body.text))).toEqual([expect.stringContaining('not yours')]);
  expect(app?.store.moments.get(1)?.state.status).toBe('pending');
  expect(onlyCard().updates).toBe(before.updates);

  await press(PEOPLE.ana, onlyCard());
  await settle();
  expect(app?.store.moments.get(1)?.state.status).toBe('approved');
  const card = onlyCard();
  expect(card.updates).toBeGreaterThan(0);
  expect(JSON.stringify(card.blocks)).toContain('Approved');
  expect(JSON.stringify(card.blocks)).not.toContain(ACTION.approve);
});

test('a flag reaction arriving over the socket is stored, acknowledged and flagged', async () => {
  const slack = new WebClient(BOT_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'Oreo: dunk in the dark #sports' });
  if (!posted.ts) throw new Error('not posted');

  await standIn.sendSocketEnvelope(
    'events_api',
    eventPayload({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: posted.ts }, item_user: PEOPLE.ana, event_ts: '1.1' }),
  );
  await standIn.waitFor(() => app?.store.moments.get(1) !== undefined, 3000, 'the flagged moment');
  await settle();

  expect(app?.store.moments.idForSource('C0GENERAL', posted.ts)).toBe(1);
  expect(JSON.stringify(onlyCard().blocks)).toContain('dunk');
});

test('a failing views.open is tried once: the listeners client does not inherit the socket client retries', async () => {
  standIn.inject({ method: 'views.open', fault: { kind: 'http_error', status: 500 } });

  const ack = await command(PEOPLE.flagger, '');
  await standIn.waitFor(() => logLines.some((l) => l.includes('flag form not opened')), 5000, 'the form to fail');

  expect(ack.ackPayload).toEqual({});
  expect(standIn.callsTo('views.open')).toHaveLength(1);
});

test('when Slack asks for a reconnect, Greenlight opens a new connection, through a passing 503, and keeps answering', async () => {
  // Before the fix the socket client shared the listeners' no-retry options: this one 503 ended the process.
  standIn.inject({ method: 'apps.connections.open', times: 1, fault: { kind: 'http_error', status: 503 } });
  standIn.sendSocketDisconnect('refresh_requested');
  await standIn.waitFor(() => standIn.socketConnections() === 0, 3000, 'the old socket to close');
  // The socket client waits its clientPingTimeout (5 s by default) before reconnecting.
  await standIn.waitFor(() => standIn.socketConnections() === 1, 12_000, 'a new connection');

  const ack = await command(PEOPLE.flagger, 'help');

  expect(standIn.callsTo('apps.connections.open').map((c) => c.status)).toEqual([200, 503, 200]);
  expect(String((ack.ackPayload as { text?: unknown }).text)).toContain('Greenlight');
});

test('a Slack outage longer than a reconnect\'s retries does not end Greenlight: it connects again once Slack answers', async () => {
  // given apps.connections.open fails for longer than one reconnect tries (two calls here, about 50 s in production);
  // jest fails a test whose code leaves a rejection unhandled, as the client's own give-up was
  standIn.inject({ method: 'apps.connections.open', times: 3, fault: { kind: 'http_error', status: 503 } });
  // when Slack asks for the routine reconnect
  standIn.sendSocketDisconnect('refresh_requested');
  await standIn.waitFor(() => standIn.socketConnections() === 0, 3000, 'the old socket to close');
  // then, after the client's own attempt fails, Greenlight tries again and connects once Slack answers
  await standIn.waitFor(() => standIn.socketConnections() === 1, 20_000, 'a new connection');
  expect(standIn.callsTo('apps.connections.open').map((c) => c.status)).toEqual([200, 503, 503, 503, 200]);
  const ack = await command(PEOPLE.flagger, 'help');
  expect(String((ack.ackPayload as { text?: unknown }).text)).toContain('Greenlight');
  const said = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(said.filter((l) => l.msg === 'Socket Mode connection lost and Slack not answering: connecting again')).toEqual([expect.objectContaining({ level: 'warn', waitMs: 1000, failedAttempts: 1 })]);
  expect(said.some((l) => l.msg === 'Socket Mode connected again')).toBe(true);
});

test('an app-level token Slack stops accepting while Greenlight runs is fatal, named as at start', async () => {
  // given Greenlight told to stop on what it cannot recover from
  await app?.stop();
  const fatal: Error[] = [];
  const config = testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') });
  app = await startGreenlight({
    config: { ...config, slack: { botToken: BOT_TOKEN, signingSecret: undefined, appToken: APP_TOKEN, apiUrl: standIn.url } },
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.ERROR, write: (line) => logLines.push(line) }),
    startScanner: false,
    socketConnectRetries: 1,
    onFatal: (error) => fatal.push(error),
  });
  // when the app-level token is revoked and Slack asks for the routine reconnect
  standIn.inject({ method: 'apps.connections.open', fault: { kind: 'slack_error', error: 'invalid_auth' } });
  standIn.sendSocketDisconnect('refresh_requested');
  // then Greenlight is told to stop, naming the app token and what to do, as a start with that token is
  await standIn.waitFor(() => fatal.length > 0, 12_000, 'the refusal');
  expect(fatal.map((e) => e.message)).toEqual([expect.stringContaining('Slack refused SLACK_APP_TOKEN (invalid_auth)')]);
});

test('stopping Greenlight closes its socket', async () => {
  const stopping = app;
  app = undefined;
  await stopping?.stop();

  await standIn.waitFor(() => standIn.socketConnections() === 0, 3000, 'the socket to close');
  await expect(standIn.sendSocketEnvelope('slash_commands', slashCommandPayload(PEOPLE.flagger, 'help'))).rejects.toThrow(/No Socket Mode connection/);
});
