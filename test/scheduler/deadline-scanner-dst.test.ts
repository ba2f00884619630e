import { spawnSync } from 'node:child_process';
import { LogLevel } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { DeadlineScanner } from '../../src/scheduler/deadline-scanner';
import { recordFlag } from '../../src/workflow/record-flag';
import { CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE } from '../core/fixtures';
import { memoryStore } from '../store/store-fixtures';

// A server left on its local time zone (a laptop, a VM set to New York time). Jest cannot change the zone once
// started, so outside that zone this file runs itself again under TZ=America/New_York.
const ZONE = 'America/New_York';
const inZone = Intl.DateTimeFormat().resolvedOptions().timeZone === ZONE;

afterEach(() => jest.useRealTimers());

/** The night in New York: run in this process when it is in that zone (as the copy below runs it). */
async function fallBackNight(): Promise<void> {
  // given the scanner as production starts it (DEADLINE_SCAN's default) on 2 Nov 2025, 01:55 EDT (05:55 UTC); at
  // 02:00 EDT (06:00 UTC) New York's clocks fall back to 01:00 EST
  jest.useFakeTimers({ now: new Date('2025-11-02T05:55:00.200Z') });
  const { store } = memoryStore();
  const logger = createLogger({ level: LogLevel.ERROR, write: () => undefined });
  const scanner = new DeadlineScanner(store, () => Date.now(), logger, () => undefined);
  const sweptAt: number[] = [];
  const sweep = scanner.sweep.bind(scanner);
  jest.spyOn(scanner, 'sweep').mockImplementation(() => {
    sweptAt.push(Date.now());
    return sweep();
  });
  scanner.start('*/5 * * * * *');
  const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  recordFlag(store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', Date.now());
  // when 12 minutes go by (the tier's 10 minutes end at 06:05 UTC, i.e. 01:05 EST)
  await jest.advanceTimersByTimeAsync(12 * MINUTE);
  const tier = store.moments.get(1)?.tier;
  await scanner.stop();
  // then the leads have it, and the sweeps came every five seconds throughout
  expect(tier).toBe(1);
  expect(Math.max(...sweptAt.slice(1).map((at, i) => at - (sweptAt[i] ?? at)))).toBe(5_000);
  expect(sweptAt.length).toBeGreaterThanOrEqual(140);
}

test('a crisis moment flagged at 01:55 EDT on the night clocks fall back escalates after its 10 minutes, not an hour later', async () => {
  if (inZone) {
    await fallBackNight();
    return;
  }
  // Elsewhere, this file again under TZ=America/New_York, where it runs the night itself
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--runTestsByPath', __filename], {
    env: { ...process.env, TZ: ZONE },
    encoding: 'utf8',
    timeout: 60_000,
  });
  // (the child's output, which says what failed, is shown when it fails)
  expect({ status: run.status, output: run.stderr }).toEqual({ status: 0, output: expect.stringContaining('1 passed') });
}, 90_000);
