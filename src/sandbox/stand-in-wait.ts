import type { RecordedCall } from './stand-in-types';

const POLL_MS = 10;

/** Polls `predicate` every ~10 ms; on timeout, rejects naming `what` and whatever `describe` adds. */
export function pollUntil(predicate: () => boolean, timeoutMs: number, what: string, describe: () => string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      try {
        if (predicate()) {
          resolve();
          return;
        }
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (Date.now() - started >= timeoutMs) {
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; ${describe()}`));
        return;
      }
      setTimeout(tick, POLL_MS);
    };
    tick();
  });
}

/** "the stand-in received 3 calls: auth.test x1, chat.postMessage x2", for failure messages. */
export function describeCalls(calls: readonly RecordedCall[]): string {
  if (calls.length === 0) {
    return 'the stand-in received no calls';
  }
  const counts = new Map<string, number>();
  for (const call of calls) {
    counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
  }
  const list = [...counts].map(([method, n]) => `${method} x${n}`).join(', ');
  return `the stand-in received ${calls.length} calls: ${list}`;
}
