import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LogLevel } from '@slack/bolt';
import type { StructuredLogger } from '../log/logger';
import { backendFrom, type Backend, type BackendOps } from './backend-ops';
import type { BackEndSettings } from './start-back-end';
import { fromWire, readFromThread, type FromThread, type ThreadData, type ToThread } from './thread-wire';

/** The Slack side's handle on the store thread. */
export interface StoreThread {
  readonly backend: Backend;
  /** Starts delivery, checkpoints and the scanner in the thread. */
  begin(): void;
  /** Stops the thread's work and waits until the database is closed. */
  stop(): Promise<void>;
}

interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The thread runs the compiled `store-thread.js` beside this file. From the TypeScript sources (tests,
 * `npm run demo`, the resilience tests' `tsx src/index.ts`) it loads `store-thread.ts` through tsx's
 * require hook, a development dependency that a built install never reaches.
 */
function threadEntry(): { code: string; eval: boolean } {
  const compiled = path.join(__dirname, 'store-thread.js');
  if (fs.existsSync(compiled)) return { code: compiled, eval: false };
  const source = path.join(__dirname, 'store-thread.ts');
  const hook = require.resolve('tsx/cjs');
  return { code: `require(${JSON.stringify(hook)}); require(${JSON.stringify(source)});`, eval: true };
}

/**
 * Starts the store thread and waits until its database is open: a StoreError from opening it (locked,
 * unwritable, newer schema) is thrown here, as it would be in-process.
 */
export async function startStoreThread(settings: BackEndSettings, logger: StructuredLogger, onFatal: (error: Error) => void): Promise<StoreThread> {
  const entry = threadEntry();
  const data: ThreadData = { settings, logLevel: logger.getLevel() };
  const worker = new Worker(entry.code, { eval: entry.eval, workerData: data });
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let stopping = false;
  let gone: Error | undefined;
  let onStarted: ((message: FromThread | Error) => void) | undefined;
  let onStopped: (() => void) | undefined;

  const send = (message: ToThread) => {
    if (!gone) worker.postMessage(message);
  };
  /** The thread is gone (a crash, or stopped): every open call is refused, and a crash stops Greenlight. */
  const lose = (error: Error, fatal: boolean) => {
    if (gone) return;
    gone = error;
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
    onStarted?.(error);
    onStopped?.();
    if (fatal) {
      logger.log(LogLevel.ERROR, 'the store thread stopped unexpectedly', { error: error.message });
      onFatal(error);
    }
  };

  worker.on('message', (raw: unknown) => {
    const message = readFromThread(raw);
    if (!message) {
      logger.log(LogLevel.WARN, 'unreadable message from the store thread ignored');
      return;
    }
    switch (message.type) {
      case 'ready':
      case 'failed':
        if (onStarted) onStarted(message);
        else if (message.type === 'failed') logger.log(LogLevel.ERROR, 'store thread failed to stop cleanly', { error: message.error.message });
        return;
      case 'results':
        for (const result of message.results) {
          const call = waiting.get(result.id);
          if (!call) continue;
          waiting.delete(result.id);
          if (result.ok) call.resolve(result.value);
          else call.reject(fromWire(result.error));
        }
        return;
      case 'logs':
        for (const record of message.records) logger.log(record.level, record.message, record.fields);
        return;
      case 'fatal':
        onFatal(new Error(message.message));
        return;
      case 'stopped':
        onStopped?.();
        return;
    }
  });
  worker.on('error', (error) => lose(error, !stopping));
  worker.on('exit', (code) => lose(new Error(`the store thread exited (code ${code})`), !stopping));

  const started = await new Promise<FromThread | Error>((resolve) => {
    onStarted = resolve;
  });
  onStarted = undefined;
  if (started instanceof Error) throw started;
  if (started.type === 'failed') {
    stopping = true;
    await worker.terminate();
    throw fromWire(started.error);
  }

  const run = (op: keyof BackendOps, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (gone) {
        reject(gone);
        return;
      }
      const id = nextId;
      nextId += 1;
      waiting.set(id, { resolve, reject });
      send({ type: 'call', id, op, args });
    });

  return {
    backend: backendFrom(run, () => send({ type: 'kick' })),
    begin: () => send({ type: 'begin' }),
    async stop(): Promise<void> {
      if (gone) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      await new Promise<void>((resolve) => {
        onStopped = resolve;
        send({ type: 'stop' });
      });
      await exited;
    },
  };
}
