import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { botEnv, freePort } from './child';

/**
 * The README's way to run Greenlight is `npm start`. A supervisor that stops it by signalling the
 * process it started (`docker stop` on `CMD ["npm", "start"]`, `kill <pid>`, many process managers) signals npm.
 * npm passes SIGTERM to the shell running the script (`sh -c "node … dist/index.js"`), which dies without passing it
 * on: npm exits at once and Greenlight runs on, orphaned, holding the port and the database, never told to stop.
 */
const ROOT = path.resolve(__dirname, '../..');
let standIn: SlackStandIn;
let dir: string;
let npm: ChildProcess | undefined;

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}, 120_000);
beforeEach(async () => {
  standIn = await startTestStandIn();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-npm-start-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
});
afterEach(async () => {
  // npm led its own process group: whatever is left of it (the orphaned Greenlight) goes with it.
  if (npm?.pid !== undefined) {
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(500) });
    return response.status === 200;
  } catch {
    return false;
  }
}

test('SIGTERM to `npm start` stops Greenlight cleanly instead of leaving it running orphaned', async () => {
  const port = await freePort();
  // --ignore-scripts skips prestart (the build, done above), not the start script itself.
  npm = spawn('npm', ['start', '--ignore-scripts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? dir, ...botEnv(standIn.url, dir, port) },
  });
  let out = '';
  npm.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise((resolve) => npm?.once('exit', resolve));
  for (let i = 0; i < 150 && !(await healthy(port)); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await healthy(port)).toBe(true);

  // When the supervisor sends SIGTERM to the process it started
  npm.kill('SIGTERM');
  await exited;
  // (a stop takes at most 5 s: 3 s for requests in flight, 2 s for deliveries)
  for (let i = 0; i < 60 && !out.includes('stopping on SIGTERM'); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));

  // Then Greenlight was told to stop (it logs "stopping on SIGTERM") and nothing answers on its port any more
  expect(out).toContain('stopping on SIGTERM');
  expect(await healthy(port)).toBe(false);
}, 60_000);
