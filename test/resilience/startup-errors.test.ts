import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EXAMPLE_ROUTING_FILE } from '../config/routing-fixtures';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/slack-requests';
import { exitWithin, spawnBot, type Bot } from './child';

let standIn: SlackStandIn;
let dir: string;
const bots: Bot[] = [];

beforeEach(async () => {
  standIn = await startTestStandIn();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-startup-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
});
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.kill();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string | undefined>): Record<string, string> {
  const base: Record<string, string | undefined> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standIn.url,
    PORT: '0',
    DATABASE_PATH: path.join(dir, 'greenlight.db'),
    ROUTING_FILE: path.join(dir, 'routing.yml'),
    LOG_LEVEL: 'warn',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

function start(overrides: Record<string, string | undefined>): Bot {
  const bot = spawnBot(env(overrides), dir);
  bots.push(bot);
  return bot;
}

/** A refusal to start: non-zero exit, a short message naming the problem, no stack trace, nothing logged as JSON. */
function expectClearRefusal(bot: Bot, code: number | string, names: RegExp): void {
  const stderr = bot.stderr().trim();
  expect(code).not.toBe(0);
  expect(typeof code).toBe('number');
  expect(stderr).toMatch(names);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.split('\n').length).toBeLessThanOrEqual(3);
  expect(stderr.split('\n').every((line) => line.length < 400)).toBe(true);
  expect(stderr).not.toContain(BOT_TOKEN);
}

test('a missing SLACK_BOT_TOKEN stops the start with one line saying where to find it', async () => {
  const bot = start({ SLACK_BOT_TOKEN: undefined });
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, /SLACK_BOT_TOKEN is missing: .*OAuth/);
});

test('without a .env, a missing variable is reported with where Greenlight looked for the file', async () => {
  const bot = start({ SLACK_BOT_TOKEN: undefined });
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, /SLACK_BOT_TOKEN is missing/);
  expect(bot.stderr().split('\n')[0]).toBe(`Greenlight cannot start (there is no ${path.join(fs.realpathSync(dir), '.env')}, so only the environment was read):`);
});

test('a misspelt variable in .env stops the start naming it and the variable meant', async () => {
  // Given a .env whose DATABASE_PATH is misspelt: Greenlight would otherwise start on a new, empty ./data/greenlight.db
  fs.writeFileSync(path.join(dir, '.env'), `DATABSE_PATH=${path.join(dir, 'moments.db')}\n`);
  const bot = start({ DATABASE_PATH: undefined });
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, /DATABSE_PATH in .*\.env is not a Greenlight setting: did you mean DATABASE_PATH\?/);
  expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
});

test('a missing routing file stops the start naming the file', async () => {
  const missing = path.join(dir, 'nowhere', 'routing.yml');
  const bot = start({ ROUTING_FILE: missing });
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*not found`));
});

test('the example routing file copied without its IDs replaced stops the start, naming the file and the made-up IDs', async () => {
  fs.copyFileSync(EXAMPLE_ROUTING_FILE, path.join(dir, 'routing.yml'));
  const bot = start({});
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, /routing\.yml: still holds the example's made-up IDs \(.*C0123REVIEW.*\): put in your workspace's/);
  expect(fs.existsSync(path.join(dir, 'greenlight.db'))).toBe(false);
});

test('a missing token and a missing routing file are both reported in the same run', async () => {
  const missing = path.join(dir, 'nowhere', 'routing.yml');
  const bot = start({ SLACK_BOT_TOKEN: undefined, ROUTING_FILE: missing });
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, /SLACK_BOT_TOKEN is missing: .*OAuth/);
  expect(bot.stderr()).toContain(`${missing}: routing file not found`);
});

test('a DATABASE_PATH that cannot be created stops the start naming DATABASE_PATH', async () => {
  const file = path.join(dir, 'x-file');
  fs.writeFileSync(file, 'not a folder');
  const bot = start({ DATABASE_PATH: path.join(file, 'greenlight.db') });
  const code = await exitWithin(bot, 10_000);
  expectClearRefusal(bot, code, /Greenlight cannot start: .*DATABASE_PATH .*x-file/);
});

test('a database another process holds a write lock on stops the start after the busy timeout, naming the lock', async () => {
  // Given another process (this test) holds a write transaction on a new database.
  const databasePath = path.join(dir, 'locked.db');
  const holder = new Database(databasePath);
  holder.pragma('journal_mode = WAL');
  holder.exec('BEGIN EXCLUSIVE');
  try {
    // When Greenlight starts on it, it cannot migrate and gives up after its 5 s busy timeout.
    const startedAt = Date.now();
    const bot = start({ DATABASE_PATH: databasePath });
    const code = await exitWithin(bot, 15_000);
    // Then it says so in one line.
    expectClearRefusal(bot, code, /Greenlight cannot start: .*DATABASE_PATH .*(locked|busy)/i);
    // It waited the busy timeout (2 s) for the lock before giving up.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2000);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
});

test('a PORT already in use stops the start with exit code 1 and one line naming PORT', async () => {
  // Given something already listening on the port (the store opens, the checkpoint thread starts, then listen fails)
  const taken = http.createServer();
  await new Promise<void>((resolve) => taken.listen(0, resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    // When Greenlight starts on it
    const bot = start({ PORT: String(port) });
    const code = await exitWithin(bot, 15_000);
    // Then the failure is reported and the exit code says so (it used to exit 0, silently, while stopping the thread)
    expectClearRefusal(bot, code, new RegExp(`Greenlight cannot start: port ${port} is already in use, perhaps by a Greenlight already running: .*PORT`));
  } finally {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }
});

test('an app-level token Slack refuses stops the start with one line naming SLACK_APP_TOKEN, not the bot token', async () => {
  // Given a workspace whose Socket Mode accepts only its own app-level token
  const socketStandIn = await startTestStandIn({ appToken: 'xapp-1-A0GREENLIGHT-1-right' });
  try {
    // When Greenlight starts in Socket Mode with another one (the bot token is fine)
    const bot = start({ SLACK_API_URL: socketStandIn.url, SLACK_APP_TOKEN: 'xapp-1-A0GREENLIGHT-1-wrong', SLACK_SIGNING_SECRET: undefined });
    const code = await exitWithin(bot, 15_000);
    // Then it says which token and where to get a new one
    expectClearRefusal(bot, code, /Greenlight cannot start: Slack refused SLACK_APP_TOKEN \(invalid_auth\): .*App-Level Tokens/);
    expect(bot.stderr()).not.toContain('xapp-1-A0GREENLIGHT-1-wrong');
  } finally {
    await socketStandIn.close();
  }
});
