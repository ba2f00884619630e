import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { parseTestRouting, PEOPLE, REVIEW_CHANNEL, startTestStandIn, testConfig } from '../helpers/harness';
import { BOT_TOKEN, signed, SIGNING_SECRET, slashCommandBody } from '../helpers/slack-requests';
import { readOutbox } from './audit';
import { sleep } from './rig';

let standIn: SlackStandIn;
let dir: string;
let offset = 0;
const clock = () => Date.now() + offset;
const apps: Greenlight[] = [];

beforeEach(async () => {
  standIn = await startTestStandIn();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-token-'));
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(lines: string[]): Promise<Greenlight> {
  const app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.WARN, secrets: [BOT_TOKEN, SIGNING_SECRET], write: (line) => lines.push(line) }),
    clock,
    host: '127.0.0.1',
    startScanner: false,
    worker: { postGapMs: 0, pollMs: 50 },
  });
  apps.push(app);
  return app;
}

/** Slack refusing the bot token holds every notice back; once the operator fixes it and restarts, they go at once. */

test('after the token is replaced and Greenlight restarted as told, held-back cards go out at once', async () => {
  const lines: string[] = [];
  const first = await start(lines);
  for (const method of ['chat.postMessage', 'conversations.open']) standIn.inject({ method, fault: { kind: 'slack_error', error: 'token_revoked' } });
  const body = slashCommandBody(PEOPLE.flagger, 'Oreo: dunk in the dark', { responseUrl: standIn.responseUrl('cmd') });
  const request = signed(body, 'application/x-www-form-urlencoded');
  expect((await fetch(`http://127.0.0.1:${first.port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(200);
  // revoked for an hour (app clock): the card is retried, backoff grows
  const cardRow = () => {
    const row = readOutbox(path.join(dir, 'greenlight.db')).find((r) => r.kind === 'post_card');
    if (!row) throw new Error('no card row');
    return row;
  };
  for (let i = 0; i < 12; i += 1) {
    const before = cardRow().attempts;
    offset += 6 * 60_000;
    await standIn.waitFor(() => cardRow().attempts > before, 3000, 'another attempt');
  }
  expect(lines.some((l) => l.includes('then restart Greenlight'))).toBe(true);

  // operator replaces the token and restarts, as the log told them
  await first.stop();
  apps.splice(0);
  standIn.clearFaults();
  await start([]);

  // then the card and the first DM go out within seconds, not after the 5-minute backoff they had reached
  const cards = () => standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  await standIn.waitFor(() => cards().length === 1 && standIn.messages(standIn.dmChannelFor(PEOPLE.ana)).length === 1, 3000, 'the card and the first DM');
  await sleep(300);
  expect(cards()).toHaveLength(1);
}, 30_000);

test('while Slack refuses the token, the retries are said once a minute with a count, not a line per notice per try', async () => {
  // given Slack refusing the bot token, and five moments flagged
  const lines: string[] = [];
  await start(lines);
  for (const method of ['chat.postMessage', 'conversations.open']) standIn.inject({ method, fault: { kind: 'slack_error', error: 'token_revoked' } });
  const port = apps[0]!.port;
  for (let i = 1; i <= 5; i += 1) {
    const request = signed(slashCommandBody(PEOPLE.flagger, `Match day post ${i}`, { responseUrl: standIn.responseUrl(`cmd-${i}`) }), 'application/x-www-form-urlencoded');
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(200);
  }
  const rows = () => readOutbox(path.join(dir, 'greenlight.db')).filter((r) => r.kind === 'post_card' || r.kind === 'dm_reviewer');
  const retried = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'notice will be retried');
  // when every card and review DM has been tried
  await standIn.waitFor(() => rows().length === 15 && rows().every((r) => r.attempts >= 1), 5000, 'every first try');
  // then one line says so, with the fix, not fifteen
  expect(retried()).toEqual([expect.objectContaining({ error: 'token_revoked', fix: expect.stringContaining('SLACK_BOT_TOKEN') })]);
  // and once a minute has passed, the next try's line counts the tries not said meanwhile
  offset += 6 * 60_000;
  await standIn.waitFor(() => rows().every((r) => r.attempts >= 2), 5000, 'every second try');
  expect(retried()).toHaveLength(2);
  expect(retried()[1]).toMatchObject({ error: 'token_revoked', retriesSinceLastSaid: expect.any(Number) });
  expect(retried()[1]!.retriesSinceLastSaid).toBeGreaterThanOrEqual(14);
}, 30_000);
