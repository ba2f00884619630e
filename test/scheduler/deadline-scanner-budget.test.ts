import { LogLevel } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { DeadlineScanner } from '../../src/scheduler/deadline-scanner';
import { recordFlag } from '../../src/workflow/record-flag';
import { CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
let scanner: DeadlineScanner | undefined;
afterEach(async () => {
  await scanner?.stop();
  m.store.close();
});

const turnOfTheLoop = () => new Promise((resolve) => setImmediate(resolve));

test('a sweep that spends its budget has the next one run right after the waiting requests, until nothing is due', async () => {
  // given three crisis moments whose reminders and timeouts are all due, and a running scanner whose sweeps may do one
  // deadline each (a budget of 0 ms), ticking only once a year
  m = memoryStore();
  for (const key of ['flag:1', 'flag:2', 'flag:3']) {
    const flag = { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title: `Moment ${key}` }, topic: CRISIS, source: undefined };
    recordFlag(m.store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, key, T0);
  }
  const quiet = createLogger({ level: LogLevel.ERROR, write: () => undefined });
  scanner = new DeadlineScanner(m.store, () => T0 + 10 * MINUTE, quiet, () => undefined, 0);
  scanner.start('0 0 0 1 1 *');
  // when one sweep runs
  expect(scanner.sweep()).toMatchObject({ applied: 1, more: true });
  // then the rest are applied over the next turns of the event loop, without waiting for the next tick
  for (let turn = 0; turn < 20 && m.store.deadlines.due(T0 + 10 * MINUTE, 10).length > 0; turn += 1) await turnOfTheLoop();
  expect(m.store.deadlines.due(T0 + 10 * MINUTE, 10)).toEqual([]);
  expect([1, 2, 3].map((id) => m.store.moments.get(id)?.tier)).toEqual([1, 1, 1]);
});
