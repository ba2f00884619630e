import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A message between the benchmark and one of its child processes: always an object with a `type`. */
export interface Message {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  send(message: Message): void;
  /** The next message of `type` (or an earlier one not yet taken); rejects after `timeoutMs` or if the child exits. */
  next<T extends { readonly type: string }>(type: string, timeoutMs: number): Promise<T>;
  /** Sends `message` and waits for the answer of type `reply`. */
  ask<T extends { readonly type: string }>(message: Message, reply: string, timeoutMs?: number): Promise<T>;
  /** SIGSTOP / SIGCONT: an idle server must not take CPU while another one is measured. */
  pause(): void;
  resume(): void;
  /** Asks the child to stop, then SIGTERM, then SIGKILL, each after a bounded wait. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');

/**
 * The Node options of `npm start` (the `--name=value` words between `node` and the script in package.json), so the
 * benchmark runs Greenlight as it is shipped. The bare app gets none: it is Bolt with Node's defaults. Anything this
 * cannot pass on faithfully (a flag with a separate value, a short flag, a non-Node option) stops the benchmark.
 */
export function shippedNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const start = (pkg.scripts?.start ?? '').trim();
  // `exec` first: npm's shell gives way to Node, so a signal to npm reaches Greenlight.
  const words = start.split(/\s+/).filter((word, index) => !(index === 0 && word === 'exec'));
  if (words[0] !== 'node') throw new Error(`package.json's start script must begin with node (or exec node): ${start}`);
  const flags: string[] = [];
  for (const word of words.slice(1)) {
    if (!word.startsWith('-')) break;
    const name = word.split('=')[0] ?? word;
    if (!word.startsWith('--') || !word.includes('=') || !process.allowedNodeEnvironmentFlags.has(name)) {
      throw new Error(`the bench cannot pass on npm start's option ${word}: use --name=value with a Node option`);
    }
    flags.push(word);
  }
  return flags;
}

/**
 * Starts `bench/<script>` in its own Node process (tsx as a loader, not the tsx CLI, so the pid is
 * the process doing the work and IPC reaches it directly). `--expose-gc` lets RSS be read after a
 * collection. The child's stdout is dropped; its stderr is passed through, each line prefixed with its name.
 */
export function startChild(name: string, script: string, env: Record<string, string>): Child {
  // BENCH_CPU_PROF=<dir>: every child writes a V8 CPU profile there when it exits (open in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const shipped = env.BENCH_SERVER === 'greenlight' ? shippedNodeFlags() : [];
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...shipped, ...profile, '--import', 'tsx', path.join(ROOT, 'bench', script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') process.stderr.write(`[${name}] ${line}\n`);
  });
  const inbox: Message[] = [];
  const waiters = new Set<{ type: string; take: (m: Message) => void; fail: (e: Error) => void }>();
  let exited: string | undefined;
  let paused = false;

  child.on('message', (raw: unknown) => {
    const message = raw as Message;
    if (message.type === 'fatal') {
      const error = new Error(`${name} failed: ${String(message.error)}`);
      for (const w of waiters) w.fail(error);
      waiters.clear();
      return;
    }
    for (const w of waiters) {
      if (w.type === message.type) {
        waiters.delete(w);
        w.take(message);
        return;
      }
    }
    inbox.push(message);
  });
  child.on('exit', (code, signal) => {
    exited = `exited (code ${String(code)}, signal ${String(signal)})`;
    const error = new Error(`${name} ${exited}`);
    for (const w of waiters) w.fail(error);
    waiters.clear();
  });

  const next = <T extends { readonly type: string }>(type: string, timeoutMs: number): Promise<T> => {
    const index = inbox.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0] as T);
    if (exited !== undefined) return Promise.reject(new Error(`${name} ${exited}`));
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        type,
        take: (m: Message) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        fail: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  const signal = (sig: NodeJS.Signals): void => {
    if (exited === undefined) child.kill(sig);
  };

  return {
    name,
    pid: child.pid,
    send: (message) => {
      if (exited === undefined) child.send(message);
    },
    next,
    ask: (message, reply, timeoutMs = 60_000) => {
      if (paused) throw new Error(`${name} is paused: resume it before asking`);
      child.send(message);
      return next(reply, timeoutMs);
    },
    pause: () => {
      if (!paused) signal('SIGSTOP');
      paused = true;
    },
    resume: () => {
      if (paused) signal('SIGCONT');
      paused = false;
    },
    stop: async () => {
      if (exited !== undefined) return;
      if (paused) signal('SIGCONT');
      paused = false;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const within = (ms: number) => Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
      child.send({ type: 'stop' });
      if (await within(10_000)) return;
      signal('SIGTERM');
      if (await within(5_000)) return;
      signal('SIGKILL');
      await within(5_000);
    },
  };
}

/** Child side: report an unexpected failure to the parent, then exit. */
export function failChild(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${text}\n`);
  if (process.send) process.send({ type: 'fatal', error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  else process.exit(1);
}

/** Child side: exit when the parent goes away, so nothing outlives the benchmark. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
}

export function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}
