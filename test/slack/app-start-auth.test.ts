import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { PEOPLE, parseTestRouting, testConfig } from '../helpers/harness';
import { BOT_TOKEN } from '../helpers/slack-requests';

/**
 * Bolt checks the bot token (auth.test) when the App is built. Greenlight should wait for that check at start,
 * so a token Slack refuses stops the start with a clear error.
 *
 * This file cannot use the shared harness: it needs the app's start itself (and, for a refused token, a fault in
 * place before the app is built), so it starts the stand-in and the app with a small local helper.
 *
 * BUG (src/greenlight.ts, src/slack/app.ts): Bolt's App sends auth.test from its constructor and caches the promise;
 * startGreenlight neither awaits it nor handles its failure. The start resolves before auth.test is even sent, and
 * when Slack refuses the token (or is unreachable for that one call) the rejection is unhandled: the process logs
 * "Greenlight is listening" and then dies on Node's unhandled-rejection crash with a raw WebAPIPlatformError stack.
 * Were the rejection caught, every later request would fail authorization on the cached rejected promise.
 * Suggested fix: create the App with `deferInitialization: true` and `await app.init()` inside startGreenlight (or run
 * auth.test on the client first, with a clear "SLACK_BOT_TOKEN was refused by Slack: invalid_auth" error, and pass
 * `botId`/`botUserId` to the App). The same unawaited call is why a short test can crash a Jest worker: a harness that
 * closes the stand-in before auth.test was answered leaves a "fetch failed" rejection behind.
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

// BUG (see the top of this file): today auth.test has not been sent when the start resolves.
test.failing('a start resolves only after Slack has accepted the bot token', async () => {
  app = await startGreenlight({
    config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
    host: '127.0.0.1',
    startScanner: false,
  });

  expect(standIn.callsTo('auth.test').map((c) => c.status)).toEqual([200]);
});

/** Run in a child process: today the refused token ends in Node's unhandled-rejection exit, which would take Jest down. */
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

// BUG (see the top of this file): today the child prints STARTED, then exits 1 on the unhandled invalid_auth rejection.
test.failing('a bot token Slack refuses stops the start with an error naming invalid_auth instead of crashing later', () => {
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
