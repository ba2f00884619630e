import { RecentTeamStats, TEAM_STATS_MAX_AGE_MS } from '../../src/delivery/recent-team-stats';
import { T0 } from '../core/fixtures';
import { memoryStore, storedMoment, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

const flaggedCount = (stats: ReturnType<RecentTeamStats['current']>) => Object.values(stats.byStatus).reduce((a, b) => a + b, 0);

test('the team stats are read once a minute at most, and afresh after it or when the clock steps back', () => {
  // given a moment, and the stats read at T0
  storedMoment(m.store);
  let now = T0;
  const reads = jest.spyOn(m.store.moments, 'outcomesSince');
  const recent = new RecentTeamStats(m.store, () => now);
  expect(flaggedCount(recent.current())).toBe(1);
  // when another moment is flagged within the minute, then the stats read at T0 are given again, without a read
  storedMoment(m.store);
  now = T0 + TEAM_STATS_MAX_AGE_MS - 1;
  expect(flaggedCount(recent.current())).toBe(1);
  expect(reads).toHaveBeenCalledTimes(1);
  // and once the minute is over they are read again
  now = T0 + TEAM_STATS_MAX_AGE_MS;
  expect(flaggedCount(recent.current())).toBe(2);
  // and a clock stepped back reads them afresh too
  storedMoment(m.store);
  now = T0;
  expect(flaggedCount(recent.current())).toBe(3);
  expect(reads).toHaveBeenCalledTimes(3);
});
