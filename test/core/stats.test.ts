import { median, teamStats } from '../../src/core/stats';

test('median of an odd and an even count, and of nothing', () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeUndefined();
});

test('team stats count every status and take the median decision time per topic from approvals and rejections only', () => {
  const stats = teamStats([
    { topic: 'sports', status: 'approved', createdAt: 0, closedAt: 60_000, revisingMs: 0 },
    { topic: 'sports', status: 'rejected', createdAt: 0, closedAt: 180_000, revisingMs: 0 },
    { topic: 'sports', status: 'expired', createdAt: 0, closedAt: 600_000, revisingMs: 0 },
    { topic: 'crisis', status: 'pending', createdAt: 0, closedAt: undefined, revisingMs: 0 },
  ]);
  expect(stats.byStatus).toEqual({ pending: 1, changes_requested: 0, approved: 1, rejected: 1, expired: 1, withdrawn: 0 });
  expect(stats.topics).toEqual([
    { topic: 'sports', flagged: 3, decided: 2, open: 0, medianDecisionMs: 120_000 },
    { topic: 'crisis', flagged: 1, decided: 0, open: 1, medianDecisionMs: undefined },
  ]);
});

test('a moment decided after the wall clock was set back counts as decided at once, never in negative time', () => {
  // given a moment flagged while the clock was an hour fast, approved a minute after it was set right
  const stats = teamStats([{ topic: 'sports', status: 'approved', createdAt: 3_600_000, closedAt: 60_000, revisingMs: 0 }]);
  // then its time to decision is zero, not minus 59 minutes
  expect(stats.topics).toEqual([{ topic: 'sports', flagged: 1, decided: 1, open: 0, medianDecisionMs: 0 }]);
});

test("a topic's time to a decision leaves out the time spent revising: it is the reviewers' time, not the flagger's", () => {
  // given a moment whose reviewers asked for changes after 2 minutes, got the revision 3 hours later, and approved it
  // 1 minute after that
  const stats = teamStats([{ topic: 'sports', status: 'approved', createdAt: 0, closedAt: 183 * 60_000, revisingMs: 180 * 60_000 }]);
  // then its time to a decision is the 3 minutes it was with its reviewers
  expect(stats.topics[0]?.medianDecisionMs).toBe(3 * 60_000);
});
