import { RecentTeamStats, TEAM_STATS_MAX_AGE_MS } from '../../src/delivery/recent-team-stats';
import { approve, T0 } from '../core/fixtures';
import { memoryStore, storedMoment, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

const flaggedCount = (stats: ReturnType<RecentTeamStats['current']>) => Object.values(stats.byStatus).reduce((a, b) => a + b, 0);

test('the team stats are read again only once a moment was flagged since, a minute went by, or the clock stepped back', () => {
  // given a moment, and the stats read at T0
  storedMoment(m.store);
  let now = T0;
  const reads = jest.spyOn(m.store.moments, 'outcomesSince');
  const recent = new RecentTeamStats(m.store, () => now);
  expect(flaggedCount(recent.current())).toBe(1);
  // when Homes are published again within the minute, with nothing flagged or decided, they are not read again
  now = T0 + TEAM_STATS_MAX_AGE_MS - 1;
  expect(flaggedCount(recent.current())).toBe(1);
  expect(reads).toHaveBeenCalledTimes(1);
  // and once a moment is flagged, they are, within the minute too
  storedMoment(m.store);
  expect(flaggedCount(recent.current())).toBe(2);
  expect(reads).toHaveBeenCalledTimes(2);
  // and once the minute is over, and when the clock steps back
  now = T0 + 2 * TEAM_STATS_MAX_AGE_MS;
  recent.current();
  now = T0;
  recent.current();
  expect(reads).toHaveBeenCalledTimes(4);
});

test('a decision reads them again: an approval changes what they count', () => {
  const stored = storedMoment(m.store);
  const recent = new RecentTeamStats(m.store, () => T0);
  expect(recent.current().byStatus.approved).toBe(0);
  const approved = approve(stored, stored.assignments[0]?.userId ?? '', T0);
  m.store.transaction(() => {
    for (const decision of approved.decisions) m.store.reviews.appendDecision(stored.moment.id, decision);
    m.store.moments.save(approved.moment, T0, stored.moment);
  });
  expect(recent.current().byStatus.approved).toBe(1);
});
