import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { batchLines } from '../../src/log/batch-lines';

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

  test('lines queued when the process exits are still written', () => {
    // given a process that logs and exits in the same turn (as a fatal start error does)
    const script = `
      const { batchLines } = require(${JSON.stringify(path.resolve(__dirname, '../../src/log/batch-lines.ts'))});
      const batch = batchLines((chunk) => process.stdout.write(chunk));
      batch.write('first');
      batch.write('last');
      process.exit(3);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    // then both lines are on stdout
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('first\nlast\n');
  });
});
