import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { STOP_GRACE_MS } from '../../src/greenlight';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { botEnv, exitWithin, freePort, spawnBot, waitHealthy, type Bot } from './child';

/**
 * The real entry point under a supervisor's SIGTERM: it stops by itself within its grace even while a client holds
 * a request half sent, and a second SIGTERM or Ctrl-C ends it at once instead of being ignored.
 */

/** A connection that sent a POST's headers and part of its body, then went quiet. */
async function holdHalfSentRequest(port: number): Promise<net.Socket> {
  const connection = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => connection.once('connect', () => resolve()));
  connection.write('POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":');
  await new Promise((resolve) => setTimeout(resolve, 200));
  return connection;
}

let standIn: SlackStandIn;
let dir: string;
let bot: Bot | undefined;
let socket: net.Socket | undefined;

beforeEach(async () => {
  standIn = await startTestStandIn();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-sigterm-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
});
afterEach(async () => {
  socket?.destroy();
  await bot?.kill();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startBot(): Promise<number> {
  const port = await freePort();
  bot = spawnBot(botEnv(standIn.url, dir, port, { LOG_LEVEL: 'info' }), dir);
  await waitHealthy(bot, port, 20_000);
  return port;
}

test('SIGTERM with no connection open exits cleanly at once', async () => {
  await startBot();
  if (!bot) throw new Error('no bot');
  bot.child.kill('SIGTERM');
  await expect(exitWithin(bot, 10_000)).resolves.toBe(0);
}, 60_000);

test('SIGTERM stops Greenlight cleanly within its grace while a client holds a half-sent request', async () => {
  const port = await startBot();
  if (!bot) throw new Error('no bot');
  // given a client holding a request half sent
  socket = await holdHalfSentRequest(port);
  // when the supervisor sends SIGTERM
  bot.child.kill('SIGTERM');
  // then Greenlight exits with 0 once the grace has passed, without a second signal
  await expect(exitWithin(bot, STOP_GRACE_MS + 5000)).resolves.toBe(0);
}, 60_000);

test('a second SIGTERM while stopping exits at once, non-zero, and says so', async () => {
  const port = await startBot();
  if (!bot) throw new Error('no bot');
  // given a stop that is waiting out its grace for a half-sent request
  socket = await holdHalfSentRequest(port);
  bot.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 600));
  // when a second SIGTERM comes, well after the first
  bot.child.kill('SIGTERM');
  // then Greenlight exits before the grace is over, with a failure code and a log line saying why
  await expect(exitWithin(bot, STOP_GRACE_MS - 1000)).resolves.toBe(1);
  expect(bot.stdout()).toContain('stopping at once on a second SIGTERM');
}, 60_000);

test('the same Ctrl-C passed on twice (as `npm run dev` does) is one signal: a clean stop, no alarm', async () => {
  const port = await startBot();
  if (!bot) throw new Error('no bot');
  // given a stop that will wait out its grace for a half-sent request
  socket = await holdHalfSentRequest(port);
  // when the same SIGINT arrives twice in a few milliseconds, as from a terminal and the watcher forwarding it
  bot.child.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 20));
  bot.child.kill('SIGINT');
  // then Greenlight still stops cleanly after its grace, and logs no "second signal"
  await expect(exitWithin(bot, STOP_GRACE_MS + 5000)).resolves.toBe(0);
  expect(bot.stdout()).toContain('stopping on SIGINT');
  expect(bot.stdout()).not.toContain('stopping at once');
}, 60_000);
