import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { BOT_SCOPES } from '../../src/slack/bot-scopes';
import { PEOPLE, parseTestRouting, testConfig } from '../helpers/harness';
import { BOT_TOKEN } from '../helpers/slack-requests';

/**
 * Greenlight checks the bot token (auth.test) itself before anything starts, so a token Slack refuses stops the
 * start with a clear error, and Bolt, given the bot's ids, never sends an unawaited auth.test of its own.
 *
 * This file cannot use the shared harness: it needs the app's start itself (and, for a refused token, a fault in
 * place before the app is built), so it starts the stand-in and the app with a small local helper.
 */

const REPO = path.resolve(__dirname, '..', '..');

let standIn: SlackStandIn;
let dir: string;
let app: Greenlight | undefined;

beforeEach(async () => {
  standIn = await startSlackStandIn({ port: 0, token: BOT_TOKEN, users: [{ id: PEOPLE.ana, name: 'ana', email: 'ana@example.com' }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-start-'));
});
afterEach(async () => {
  // Wait for Bolt's auth.test before closing the stand-in, or its failure would outlive the test.
  await standIn.waitFor(() => standIn.callsTo('auth.test').some((c) => c.status !== 0), 3000, 'auth.test').catch(() => undefined);
  await app?.stop();
  app = undefined;
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a healthy start answers Slack requests once it resolves', async () => {
  app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
    host: '127.0.0.1',
    startScanner: false,
  });

  const health = await fetch(`http://127.0.0.1:${app.port ?? 0}/healthz`);
  expect(health.status).toBe(200);
});

test.each([
  ['without reactions:read', Object.keys(BOT_SCOPES).filter((scope) => scope !== 'reactions:read'), ['reactions:read (flag reactions: Slack sends none without it)']],
  ['with every scope', Object.keys(BOT_SCOPES), []],
])('a bot token %s is said at start with what goes missing, since some scopes never fail a call', async (_case, granted, missing) => {
  // given Slack names the token's scopes on its answers, as it does
  await standIn.close();
  standIn = await startSlackStandIn({ port: 0, token: BOT_TOKEN, botScopes: granted, users: [{ id: PEOPLE.ana, name: 'ana', email: 'ana@example.com' }] });
  const lines: string[] = [];
  // when Greenlight starts
  app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) }),
    host: '127.0.0.1',
    startScanner: false,
  });
  // then a missing scope is one warning naming it, what it is for and what to do; none when every scope is there
  const said = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'the bot token lacks scopes Greenlight needs');
  expect(said.map((l) => l.missing)).toEqual(missing.length === 0 ? [] : [missing.join('; ')]);
  if (missing.length > 0) expect(said[0]?.fix).toContain('reinstall the app');
});

test('a start resolves only after Slack has accepted the bot token', async () => {
  app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
    host: '127.0.0.1',
    startScanner: false,
  });

  expect(standIn.callsTo('auth.test').map((c) => c.status)).toEqual([200]);
});

/** Run in a child process: should a refused token ever end in an unhandled rejection again, it cannot take Jest down. */
const REFUSED_TOKEN_START = `
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight } from './src/greenlight';
import { createLogger } from './src/log/logger';
import { startSlackStandIn } from './src/sandbox/slack-stand-in';
import { parseTestRouting, testConfig } from './test/helpers/harness';
import { BOT_TOKEN } from './test/helpers/slack-requests';
(async () => {
  const standIn = await startSlackStandIn({ port: 0, token: BOT_TOKEN });
  standIn.inject({ method: 'auth.test', fault: { kind: 'slack_error', error: 'invalid_auth' } });
  const dir = process.env.GREENLIGHT_TEST_DIR;
  if (!dir) throw new Error('GREENLIGHT_TEST_DIR is not set');
  try {
    const app = await startGreenlight({
      config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
      routing: parseTestRouting(),
      logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
      host: '127.0.0.1',
      startScanner: false,
    });
    console.log('STARTED');
    setTimeout(() => void app.stop().then(() => standIn.close()), 500);
  } catch (error) {
    console.log('START FAILED: ' + String(error));
    await standIn.close();
    process.exitCode = 2;
  }
})();
`;

test('a bot token Slack refuses stops the start with an error naming invalid_auth instead of crashing later', () => {
  const child = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), '-e', REFUSED_TOKEN_START], {
    cwd: REPO,
    env: { ...process.env, GREENLIGHT_TEST_DIR: dir },
    encoding: 'utf8',
    timeout: 15_000,
  });

  expect(child.stdout).not.toContain('STARTED');
  expect(child.stdout).toContain('START FAILED');
  expect(child.stdout).toContain('invalid_auth');
  expect(child.stderr).not.toContain('WebAPIPlatformError');
  expect(child.status).toBe(2);
});
