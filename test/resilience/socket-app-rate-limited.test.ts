import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { PEOPLE, startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { BOT_TOKEN, signed, slashCommandPayload, TEAM } from '../helpers/slack-requests';
import { botEnv, freePort, spawnBot, waitHealthy, type Bot } from './child';

/**
 * Slack sends `app_rate_limited` when an app passes 30,000 events an hour in a workspace: an Events API body with no
 * inner `event`. Greenlight stays up and says so in a warning, over HTTP as over Socket Mode (whose client stopped
 * Greenlight on it, as an unhandled failure).
 */

const APP_TOKEN = 'xapp-1-A0GREENLIGHT-1-sandbox';
const RATE_LIMITED = { token: 'legacy-verification-token', type: 'app_rate_limited', team_id: TEAM.id, minute_rate_limited: 1518467820, api_app_id: 'A0GREENLIGHT' };

let standIn: SlackStandIn;
let dir: string;
let bot: Bot | undefined;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-ratelimited-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
});
afterEach(async () => {
  await bot?.kill();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('HTTP: an app_rate_limited notice leaves Greenlight running', async () => {
  standIn = await startTestStandIn();
  const port = await freePort();
  bot = spawnBot(botEnv(standIn.url, dir, port, { LOG_LEVEL: 'warn' }), dir);
  await waitHealthy(bot, port, 20_000);
  const request = signed(JSON.stringify(RATE_LIMITED), 'application/json');
  await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
  await sleep(1000);
  expect({ exitCode: bot.child.exitCode, stderr: bot.stderr() }).toEqual({ exitCode: null, stderr: '' });
  expect(bot.stdout()).toContain('Slack is rate limiting');
}, 40_000);

test('Socket Mode: an app_rate_limited notice leaves Greenlight running and answering', async () => {
  standIn = await startTestStandIn({ appToken: APP_TOKEN });
  const env = botEnv(standIn.url, dir, 0, { LOG_LEVEL: 'warn', SLACK_APP_TOKEN: APP_TOKEN });
  delete (env as Record<string, string | undefined>).SLACK_SIGNING_SECRET;
  bot = spawnBot(env, dir);
  await standIn.waitForSocket(20_000);
  // when Slack tells the app it is rate limited (an events_api envelope whose payload has no inner event)
  const acked = await standIn.sendSocketEnvelope('events_api', RATE_LIMITED).then(
    () => true,
    () => false,
  );
  await sleep(500);
  // then it is acknowledged and said in a warning, Greenlight is still running, and still answers a command
  expect(acked).toBe(true);
  expect({ exitCode: bot.child.exitCode, stderr: bot.stderr() }).toEqual({ exitCode: null, stderr: '' });
  expect(bot.stdout()).toContain('Slack is rate limiting');
  const ack = await standIn.sendSocketEnvelope('slash_commands', slashCommandPayload(PEOPLE.flagger, 'help'));
  expect(String((ack.ackPayload as { text?: unknown }).text)).toContain('Greenlight');
  expect(bot.stdout()).not.toContain(BOT_TOKEN);
}, 40_000);
