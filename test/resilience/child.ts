/** Runs the real entry point (`tsx src/index.ts`) as a child process, as an operator would start it. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/slack-requests';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const ENTRY = path.join(ROOT, 'src/index.ts');

export interface Bot {
  readonly child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** SIGKILL to the whole process group (tsx and the node process it runs), then wait until none is left. */
  kill(): Promise<void>;
}

/**
 * The environment of a bot on `port` against the Slack stand-in at `apiUrl`, with its database and routing file
 * (`routing.yml`, written by the test) in `dir`; `overrides` adds or replaces variables.
 */
export function botEnv(apiUrl: string, dir: string, port: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    PORT: String(port),
    DATABASE_PATH: path.join(dir, 'greenlight.db'),
    ROUTING_FILE: path.join(dir, 'routing.yml'),
    ...overrides,
  };
}

/**
 * Starts the bot with exactly `env` (plus PATH and HOME), in `cwd` so no stray `.env` file is read.
 * Nothing from the test's own environment leaks in.
 */
export function spawnBot(env: Record<string, string>, cwd: string): Bot {
  // Its own process group: tsx runs the app in a child node process, and a crash must take both down.
  const child = spawn(TSX, [ENTRY], {
    cwd,
    detached: true,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (err.length < 200_000) err += chunk.toString('utf8');
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (out.length < 200_000) out += chunk.toString('utf8');
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    kill: async () => {
      const group = child.pid;
      if (group !== undefined) signalGroup(group, 'SIGKILL');
      await exited;
      if (group === undefined) return;
      for (let i = 0; i < 100 && signalGroup(group, 0); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

/** A port nobody listens on right now (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls GET /healthz until 200, the process exits, or `timeoutMs` passes. */
export async function waitHealthy(bot: Bot, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void bot.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the bot exited before it was healthy: ${bot.stderr().slice(0, 2000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the bot was not healthy within ${timeoutMs} ms: ${bot.stderr().slice(0, 2000)}`);
}

/** Resolves with the exit code, or rejects when the process is still running after `timeoutMs` (and kills it). */
export async function exitWithin(bot: Bot, timeoutMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms; stderr: ${bot.stderr().slice(0, 2000)}`)), timeoutMs);
  });
  try {
    return await Promise.race([bot.exited, timeout]);
  } catch (error) {
    await bot.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal` to the process group led by our child; false once the group is gone. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}
