import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { batchLines, writeAll } from '../../src/log/batch-lines';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('batchLines', () => {
  test('the lines of one turn go out in one write, in order, each ending in a newline', async () => {
    // given a batch over a recording output
    const chunks: string[] = [];
    const batch = batchLines((chunk) => chunks.push(chunk));
    // when three lines are written in one turn
    batch.write('{"n":1}');
    batch.write('{"n":2}');
    batch.write('{"n":3}');
    // then nothing is written until the turn ends, and then exactly once
    expect(chunks).toEqual([]);
    await nextTurn();
    expect(chunks).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n']);
    // and a later turn's line is a write of its own
    batch.write('{"n":4}');
    await nextTurn();
    expect(chunks).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n']);
  });

  test('flush writes what is queued at once, and an empty batch writes nothing', async () => {
    const chunks: string[] = [];
    const batch = batchLines((chunk) => chunks.push(chunk));
    batch.flush();
    expect(chunks).toEqual([]);
    batch.write('a');
    batch.flush();
    expect(chunks).toEqual(['a\n']);
    await nextTurn();
    expect(chunks).toEqual(['a\n']);
  });

  test('lines queued when the process exits are all written, in order, through a pipe', () => {
    // given a process that logs 20,000 lines and exits in the same turn (as a fatal start error does)
    const script = `
      const { batchLines, writeAll } = require(${JSON.stringify(path.resolve(__dirname, '../../src/log/batch-lines.ts'))});
      const batch = batchLines(writeAll(1));
      for (let i = 0; i < 20000; i += 1) batch.write('line ' + i);
      process.exit(3);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    // then every line is on stdout, in order
    expect(run.status).toBe(3);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(20000);
    expect(lines[0]).toBe('line 0');
    expect(lines[19999]).toBe('line 19999');
  });

  test('writeAll writes a whole chunk to a file', () => {
    const file = path.join(os.tmpdir(), `greenlight-write-all-${process.pid}.txt`);
    const fd = fs.openSync(file, 'w');
    try {
      writeAll(fd)('é'.repeat(100_000));
      expect(fs.readFileSync(file, 'utf8')).toBe('é'.repeat(100_000));
    } finally {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
    }
  });
});
