import fs from 'node:fs';

export interface LineBatch {
  /** Queues one line (without its newline); it goes out at the end of this turn of the event loop. */
  write(line: string): void;
  /** Writes what is queued now. */
  flush(): void;
}

/**
 * Log lines written in batches: the lines of one turn of the event loop go out in one write. Each write to
 * stdout is a system call, and under load one per line cost a request about as much as a SQL statement.
 * Whatever is queued is written when the process exits (a normal stop, process.exit, an uncaught error),
 * provided `out` writes synchronously (see writeAll); a SIGKILL can lose one turn's lines, and nothing
 * else: the database, not the log, is the record.
 */
export function batchLines(out: (chunk: string) => void): LineBatch {
  let queued: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (queued.length === 0) return;
    const lines = queued;
    queued = [];
    out(`${lines.join('\n')}\n`);
  };
  process.on('exit', flush);
  return {
    write(line: string): void {
      queued.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of a chunk to a file descriptor before returning, in order, also when it is a non-blocking pipe
 * that is full (Docker, systemd): the call waits for the reader. process.stdout would queue the rest and lose
 * it when the process exits.
 */
export function writeAll(fd: number): (chunk: string) => void {
  return (chunk) => {
    let rest = Buffer.from(chunk, 'utf8');
    while (rest.length > 0) {
      try {
        rest = rest.subarray(fs.writeSync(fd, rest));
      } catch (error) {
        if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== 'EAGAIN') return;
        // The reader is behind: wait a millisecond for it rather than spin.
        Atomics.wait(PAUSE, 0, 0, 1);
      }
    }
  };
}
