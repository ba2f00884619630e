import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import Database from 'better-sqlite3';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { startSlackStandIn, type SlackStandIn, type StoredMessage } from '../../src/sandbox/slack-stand-in';
import { ACTION } from '../../src/slack/ids';
import { StoreError } from '../../src/store/open-database';
import { PEOPLE, parseTestRouting, REVIEW_CHANNEL, testConfig } from '../helpers/harness';
import { blockActionBody, BOT_TOKEN, eventBody, signed, slashCommandBody, type SignedRequest } from '../helpers/slack-requests';

/**
 * Greenlight as `npm start` runs it: the store, delivery and the deadline scanner in the store thread, the
 * Slack app on the main thread. (Most other tests run the same code in one thread, to move the clock and
 * look inside the store; here the database is read through a connection of its own, as another process would.)
 */

const FORM = 'application/x-www-form-urlencoded';
const SOURCE_CHANNEL = 'C0GENERAL';

let standIn: SlackStandIn;
let dir: string;
let databasePath: string;
let app: Greenlight | undefined;
let logLines: string[];
let fatal: Error[];

async function start(): Promise<Greenlight> {
  const logger = createLogger({ level: LogLevel.DEBUG, secrets: [BOT_TOKEN], write: (line) => logLines.push(line) });
  app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath, databaseSynchronous: 'FULL' }),
    routing: parseTestRouting(),
    logger,
    host: '127.0.0.1',
    startScanner: false,
    worker: { postGapMs: 0, pollMs: 50 },
    onFatal: (error) => fatal.push(error),
  });
  return app;
}

beforeEach(async () => {
  standIn = await startSlackStandIn({
    port: 0,
    token: BOT_TOKEN,
    users: Object.entries(PEOPLE).map(([name, id]) => ({ id, name, email: `${name}@example.com` })),
    usergroups: { S0LEGAL: [PEOPLE.leo] },
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-thread-'));
  databasePath = path.join(dir, 'greenlight.db');
  logLines = [];
  fatal = [];
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(running: Greenlight, request: SignedRequest): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${running.port ?? 0}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, text: await response.text() };
}

function statusOf(momentId: number): string | undefined {
  const reader = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return reader.prepare<[number], { status: string }>('SELECT status FROM moments WHERE id = ?').get(momentId)?.status;
  } finally {
    reader.close();
  }
}

function card(): StoredMessage | undefined {
  return standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
}

test('a flag and an approval go through the store thread: stored, the card posted and then updated', async () => {
  const running = await start();

  const flagged = await post(running, signed(slashCommandBody(PEOPLE.flagger, 'Oreo: dunk in the dark #sports', { responseUrl: standIn.responseUrl('cmd') }), FORM));
  expect(flagged.status).toBe(200);
  expect(JSON.parse(flagged.text).text).toContain('Flagging');
  await standIn.waitFor(() => card() !== undefined && standIn.messages(standIn.dmChannelFor(PEOPLE.ana)).length === 1, 5000, 'the card and the DM');
  expect(statusOf(1)).toBe('pending');

  // the same click sent twice (a replay) counts once
  const click = signed(blockActionBody(PEOPLE.ana, ACTION.approve, '1:1', { responseUrl: standIn.responseUrl('click') }), FORM);
  expect((await post(running, click)).status).toBe(200);
  expect((await post(running, click)).status).toBe(200);
  await standIn.waitFor(() => JSON.stringify(card()?.blocks).includes('Approved'), 5000, 'the approved card');
  expect(statusOf(1)).toBe('approved');
  const reader = new Database(databasePath, { readonly: true, fileMustExist: true });
  expect(reader.prepare('SELECT COUNT(*) AS n FROM decisions').get()).toEqual({ n: 1 });
  reader.close();
  // the thread's own log lines come out through the main logger
  expect(logLines.some((line) => line.includes('"msg":"notice delivered"'))).toBe(true);
  expect(fatal).toEqual([]);
});

test('an outsider is refused through the outbox, and /moment list reads through the thread', async () => {
  const running = await start();
  await post(running, signed(slashCommandBody(PEOPLE.flagger, 'Oreo: dunk #sports', { responseUrl: standIn.responseUrl('cmd') }), FORM));
  await standIn.waitFor(() => card() !== undefined, 5000, 'the card');

  await post(running, signed(blockActionBody(PEOPLE.outsider, ACTION.approve, '1:1', { responseUrl: standIn.responseUrl('outsider') }), FORM));
  await standIn.waitFor(() => standIn.responses('outsider').length === 1, 5000, 'the refusal');
  expect(String(standIn.responses('outsider')[0]?.body.text)).toContain('not yours');
  expect(statusOf(1)).toBe('pending');

  const list = await post(running, signed(slashCommandBody(PEOPLE.flagger, 'list', { responseUrl: standIn.responseUrl('list') }), FORM));
  expect(JSON.parse(list.text).text).toContain('Oreo');
});

test('the reject button opens the reason modal from the moment the thread reads', async () => {
  const running = await start();
  await post(running, signed(slashCommandBody(PEOPLE.flagger, 'Oreo: dunk #sports', { responseUrl: standIn.responseUrl('cmd') }), FORM));
  await standIn.waitFor(() => card() !== undefined, 5000, 'the card');

  await post(running, signed(blockActionBody(PEOPLE.ana, ACTION.reject, '1:1', { responseUrl: standIn.responseUrl('reject') }), FORM));
  await standIn.waitFor(() => standIn.openedViews().length === 1, 5000, 'the reject modal');
  expect(JSON.stringify(standIn.openedViews()[0])).toContain('Oreo');
});

test('a flag reaction becomes a moment through the thread', async () => {
  const running = await start();
  const slack = new WebClient(BOT_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  const source = await slack.chat.postMessage({ channel: SOURCE_CHANNEL, text: 'Our new ad: dunk in the dark' });
  const reaction = { type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: SOURCE_CHANNEL, ts: source.ts }, event_ts: '1.0' };

  expect((await post(running, signed(eventBody(reaction), 'application/json'))).status).toBe(200);
  await standIn.waitFor(() => card() !== undefined, 5000, 'the card');
  expect(JSON.stringify(card()?.blocks)).toContain('dunk in the dark');
  expect(statusOf(1)).toBe('pending');
});

test('a database that cannot be opened stops the start with the StoreError, and the thread is gone', async () => {
  fs.writeFileSync(databasePath, 'this is not a database, it is a text file that is long enough to have a header');
  await expect(start()).rejects.toBeInstanceOf(StoreError);
  app = undefined;
});

test('after a stop the thread has closed the database: another connection can take it over at once', async () => {
  const running = await start();
  await post(running, signed(slashCommandBody(PEOPLE.flagger, 'Oreo: dunk #sports'), FORM));
  await running.stop();
  app = undefined;
  const other = new Database(databasePath, { fileMustExist: true });
  other.pragma('locking_mode = EXCLUSIVE');
  expect(other.prepare('SELECT COUNT(*) AS n FROM moments').get()).toEqual({ n: 1 });
  other.close();
  await expect(running.backend.openMoments(5)).rejects.toThrow(/store thread/);
});
