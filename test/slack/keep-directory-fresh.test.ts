import { keepDirectoryFresh, REFRESH_TIMING, type Schedule } from '../../src/slack/keep-directory-fresh';

/** A directory whose unread roles and Retry-After the test sets, counting refreshes. */
function fakeDirectory() {
  const state = { unread: new Set<string>(), retryAfterMs: 0, refreshes: 0 };
  return {
    state,
    directory: {
      refresh: async () => {
        state.refreshes += 1;
      },
      unreadRoles: () => state.unread,
      retryAfterMs: () => state.retryAfterMs,
    },
  };
}

/** A schedule that records each wait and runs the next timer only when the test says. */
function manualSchedule() {
  const waits: number[] = [];
  let pending: (() => void) | undefined;
  let cancelled = false;
  const schedule: Schedule = (run, ms) => {
    waits.push(ms);
    pending = run;
    return () => {
      cancelled = true;
    };
  };
  const fire = async () => {
    const run = pending;
    pending = undefined;
    run?.();
    // Let the refresh promise and its follow-up settle.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { schedule, waits, fire, wasCancelled: () => cancelled };
}

test('with every role read, the directory is refreshed every five minutes', async () => {
  const { directory } = fakeDirectory();
  const timer = manualSchedule();
  keepDirectoryFresh(directory, REFRESH_TIMING, timer.schedule);
  await timer.fire();
  expect(timer.waits).toEqual([5 * 60_000, 5 * 60_000]);
});

test('while a role is unread it is retried within seconds, backing off to a minute, then back to five minutes once read', async () => {
  // given a start whose user group read failed
  const { directory, state } = fakeDirectory();
  state.unread = new Set(['legal']);
  const timer = manualSchedule();
  keepDirectoryFresh(directory, REFRESH_TIMING, timer.schedule);
  // when Slack keeps failing for eight retries, then answers
  for (let i = 0; i < 8; i += 1) await timer.fire();
  state.unread = new Set();
  await timer.fire();
  // then the retries came after 2, 4, 8 … seconds up to a minute, and the regular pace resumed
  expect(timer.waits).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000, 5 * 60_000]);
  expect(state.refreshes).toBe(9);
});

test("Slack's Retry-After wins over a shorter backoff", async () => {
  const { directory, state } = fakeDirectory();
  state.unread = new Set(['legal']);
  state.retryAfterMs = 30_000;
  const timer = manualSchedule();
  keepDirectoryFresh(directory, REFRESH_TIMING, timer.schedule);
  expect(timer.waits).toEqual([30_000]);
});

test('stop cancels the next refresh', async () => {
  const { directory, state } = fakeDirectory();
  const timer = manualSchedule();
  const stop = keepDirectoryFresh(directory, REFRESH_TIMING, timer.schedule);
  stop();
  expect(timer.wasCancelled()).toBe(true);
  expect(state.refreshes).toBe(0);
});
