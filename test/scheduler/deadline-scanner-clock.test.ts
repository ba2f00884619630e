import { LogLevel } from '@slack/bolt';
import cron from 'node-cron';
import { createLogger } from '../../src/log/logger';
import { DeadlineScanner } from '../../src/scheduler/deadline-scanner';
import type { Store } from '../../src/store/store';
import { recordFlag } from '../../src/workflow/record-flag';
import { CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE } from '../core/fixtures';
import { memoryStore } from '../store/store-fixtures';

// The scanner as production starts it: DEADLINE_SCAN's default, Date.now as the clock, its real timers.
// Jest's modern fake timers move Date and timers together; setSystemTime moves only the wall clock (an NTP step).
function started() {
  const { store } = memoryStore();
  const lines: Array<{ level: string; msg: string; detail?: string; [field: string]: unknown }> = [];
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => lines.push(JSON.parse(line)) });
  const scanner = new DeadlineScanner(store, () => Date.now(), logger, () => undefined);
  const sweeps = jest.spyOn(scanner, 'sweep');
  scanner.start('*/5 * * * * *');
  return { scanner, sweeps, lines, store };
}

/** A crisis moment (10 minutes for comms and legal, then the leads) flagged now, on the wall clock. */
function flagCrisisNow(store: Store): void {
  const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  recordFlag(store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', Date.now());
}

beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-10T12:00:00.200Z') }));
afterEach(() => jest.useRealTimers());

test('after the wall clock steps back an hour (NTP), the scanner keeps sweeping every five seconds', async () => {
  const { scanner, sweeps } = started();
  await jest.advanceTimersByTimeAsync(30_000);
  expect(sweeps.mock.calls.length).toBeGreaterThanOrEqual(5);
  sweeps.mockClear();
  jest.setSystemTime(Date.now() - 60 * 60_000);
  await jest.advanceTimersByTimeAsync(10 * 60_000);
  // Ten minutes of real time: ~120 sweeps expected. node-cron waited for the wall clock to reach the slot it expected.
  const swept = sweeps.mock.calls.length;
  await scanner.stop();
  expect(swept).toBeGreaterThanOrEqual(100);
});

test('a suspend of 8 hours (wall clock jumps forward) logs a handful of lines, not one per missed 5 s slot', async () => {
  const { scanner, lines } = started();
  await jest.advanceTimersByTimeAsync(10_000);
  lines.length = 0;
  jest.setSystemTime(Date.now() + 8 * 60 * 60_000);
  await jest.advanceTimersByTimeAsync(6_000);
  await scanner.stop();
  // (one line says the clock jumped)
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatchObject({ level: 'warn', msg: expect.stringContaining('the clock jumped') });
});


test('a clock stepped back does not hold off forgetting old request ids for as long as the step', () => {
  // given a scanner that pruned at T, with its own clock
  jest.useRealTimers();
  const { store } = memoryStore();
  let now = Date.parse('2025-03-10T12:00:00Z');
  const logger = createLogger({ level: LogLevel.ERROR, write: () => undefined });
  const scanner = new DeadlineScanner(store, () => now, logger, () => undefined);
  const forgets = jest.spyOn(store.seen, 'forgetBefore');
  scanner.sweep();
  expect(forgets).toHaveBeenCalledTimes(1);
  // when the clock is set back an hour, then the next prune is not an hour and ten minutes away
  now -= 60 * 60_000;
  scanner.sweep();
  expect(forgets).toHaveBeenCalledTimes(2);
});

test('clock steps and a stop leave nothing of the scanner in node-cron\'s registry', async () => {
  const { store } = memoryStore();
  const logger = createLogger({ level: LogLevel.ERROR, write: () => undefined });
  const scanner = new DeadlineScanner(store, () => Date.now(), logger, () => undefined);
  const before = cron.getTasks().size;
  scanner.start('*/5 * * * * *');
  for (let i = 0; i < 50; i += 1) {
    jest.setSystemTime(Date.now() - 60_000);
    await jest.advanceTimersByTimeAsync(1_500);
  }
  await scanner.stop();
  // after stop, nothing of the scanner stays registered
  expect(cron.getTasks().size - before).toBe(0);
});

test('a crisis moment flagged just before the wall clock is set back an hour escalates after 10 real minutes, not 70', async () => {
  // given a running scanner and a crisis moment flagged now
  const { scanner, store, lines } = started();
  flagCrisisNow(store);
  await jest.advanceTimersByTimeAsync(5_000);
  // when NTP sets the wall clock back an hour (it was an hour fast), and 11 minutes really go by
  jest.setSystemTime(Date.now() - 60 * MINUTE);
  await jest.advanceTimersByTimeAsync(11 * MINUTE);
  const tier = store.moments.get(1)?.tier;
  await scanner.stop();
  // then the tier's ten minutes are over and the leads have it; one line says what moved, and how far
  expect(tier).toBe(1);
  expect(lines.filter((line) => line.msg.includes('the clock was set back'))).toEqual([
    expect.objectContaining({ level: 'warn', stepMs: -60 * MINUTE, deadlinesMoved: 2, momentsMoved: 1, cardUpdates: 1 }),
  ]);
});

test('two processes on one database (an overlapping deploy) both see the step, and the deadlines move back once, not twice', async () => {
  // given a second scanner on the same database, and a crisis moment flagged now
  const { scanner, store, lines } = started();
  const other = new DeadlineScanner(store, () => Date.now(), createLogger({ level: LogLevel.ERROR, write: () => undefined }), () => undefined);
  other.start('*/5 * * * * *');
  flagCrisisNow(store);
  await jest.advanceTimersByTimeAsync(5_000);
  // when NTP sets the wall clock back an hour, and both notice it within the second
  jest.setSystemTime(Date.now() - 60 * MINUTE);
  await jest.advanceTimersByTimeAsync(2_000);
  const moment = store.moments.get(1);
  await scanner.stop();
  await other.stop();
  // then the crisis is still at its first tier, due 10 real minutes after its flag (moved back once)
  expect(moment?.tier).toBe(0);
  expect(moment?.state.status).toBe('pending');
  expect(lines.filter((line) => line.msg.includes('the clock was set back'))).toHaveLength(1);
});

test('a wall clock jumping forward (a suspended machine waking) leaves the deadlines where they were', async () => {
  // given a running scanner and a crisis moment flagged now
  const { scanner, store } = started();
  flagCrisisNow(store);
  const due = store.deadlines.openFor(1);
  await jest.advanceTimersByTimeAsync(5_000);
  // when the wall clock jumps 3 minutes ahead (the time went by, suspended)
  jest.setSystemTime(Date.now() + 3 * MINUTE);
  await jest.advanceTimersByTimeAsync(5_000);
  await scanner.stop();
  // then its deadlines are as they were: the reminder at five minutes, the timeout at ten
  expect(store.deadlines.openFor(1)).toEqual(due);
});

test('after a clock set back right after the start, a timeout waiting for an unread user group waits 2 minutes at most, not an hour', async () => {
  // given a scanner started at 12:00 whose directory has not read the leads' user group (Slack failing for it)
  const { store } = memoryStore();
  const logger = createLogger({ level: LogLevel.ERROR, write: () => undefined });
  const scanner = new DeadlineScanner(store, () => Date.now(), logger, () => undefined);
  const members = new Map(Object.entries(MEMBERS).filter(([role]) => role !== 'leads'));
  scanner.useRoster(() => ({ members, unread: new Set(['leads']) }));
  scanner.start('*/5 * * * * *');
  // when NTP sets the wall clock back an hour a few seconds later, a crisis moment is flagged, and 11 minutes go by
  await jest.advanceTimersByTimeAsync(5_000);
  jest.setSystemTime(Date.now() - 60 * MINUTE);
  await jest.advanceTimersByTimeAsync(2_000);
  flagCrisisNow(store);
  await jest.advanceTimersByTimeAsync(11 * MINUTE);
  const tier = store.moments.get(1)?.tier;
  await scanner.stop();
  // then (13 real minutes after the start, README: "until two minutes after the start at most") the leads have it
  expect(tier).toBe(1);
});

describe('a clock set ahead by mistake, then set right', () => {
  test('leaves a crisis flagged before the mistake its 10 real minutes', async () => {
    // given a running scanner and a crisis moment flagged now, on a clock that is right
    const { scanner, store, lines } = started();
    flagCrisisNow(store);
    await jest.advanceTimersByTimeAsync(60_000);
    // when someone sets the wall clock 3 minutes ahead by mistake, and NTP sets it right a minute later
    jest.setSystemTime(Date.now() + 3 * MINUTE);
    await jest.advanceTimersByTimeAsync(60_000);
    jest.setSystemTime(Date.now() - 3 * MINUTE);
    await jest.advanceTimersByTimeAsync(5_000);
    // and 8 minutes 30 seconds have really gone by since the flag
    await jest.advanceTimersByTimeAsync(8.5 * MINUTE - 2 * 60_000 - 5_000);
    const early = store.moments.get(1)?.tier;
    // then the crisis is still with comms and legal: its 10 minutes are not over
    expect(early).toBe(0);
    // and it goes to the leads once they are
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    const later = store.moments.get(1)?.tier;
    await scanner.stop();
    expect(later).toBe(1);
    expect(lines.filter((line) => line.msg.includes('the clock was set back'))).toEqual([expect.objectContaining({ undoesJumpForwardMs: 3 * MINUTE, deadlinesMoved: 0, momentsMoved: 0 })]);
  });

  test('brings a crisis flagged while the clock was ahead back to its 10 real minutes', async () => {
    // given a running scanner whose wall clock someone set 3 minutes ahead by mistake
    const { scanner, store } = started();
    await jest.advanceTimersByTimeAsync(5_000);
    jest.setSystemTime(Date.now() + 3 * MINUTE);
    await jest.advanceTimersByTimeAsync(5_000);
    // when a crisis is flagged on that clock, and NTP sets it right a minute later
    flagCrisisNow(store);
    await jest.advanceTimersByTimeAsync(60_000);
    jest.setSystemTime(Date.now() - 3 * MINUTE);
    // and 10 and a half real minutes go by since the flag
    await jest.advanceTimersByTimeAsync(9.5 * MINUTE);
    const tier = store.moments.get(1)?.tier;
    await scanner.stop();
    // then its ten minutes are over, not three minutes later
    expect(tier).toBe(1);
  });

  test('a step back larger than the jump moves everything back by the rest', async () => {
    // given a crisis flagged on a clock that ran an hour ahead all along, and a 3-minute jump forward by mistake since
    const { scanner, store } = started();
    flagCrisisNow(store);
    await jest.advanceTimersByTimeAsync(5_000);
    jest.setSystemTime(Date.now() + 3 * MINUTE);
    await jest.advanceTimersByTimeAsync(5_000);
    const due = store.moments.get(1)?.dueAt ?? 0;
    // when NTP sets it back 63 minutes
    jest.setSystemTime(Date.now() - 63 * MINUTE);
    await jest.advanceTimersByTimeAsync(2_000);
    const moved = store.moments.get(1)?.dueAt ?? 0;
    await scanner.stop();
    // then the moment timed before the jump moves back the hour only
    expect(due - moved).toBe(60 * MINUTE);
  });
});

/**
 * The wall clock set `aheadMs` ahead, set back `backMs` a minute later, then real time run on until 8 and a half minutes
 * after a flag made a minute before the mistake.
 */
async function setAheadThenRight(aheadMs: number, backMs: number): Promise<void> {
  jest.setSystemTime(Date.now() + aheadMs);
  await jest.advanceTimersByTimeAsync(60_000);
  jest.setSystemTime(Date.now() - backMs);
  await jest.advanceTimersByTimeAsync(5_000);
  await jest.advanceTimersByTimeAsync(8.5 * MINUTE - 2 * 60_000 - 5_000);
}

describe('a clock set ahead by mistake, then set right, after an earlier jump forward', () => {
  test('after a suspend: a crisis flagged once the machine woke (on a right clock) keeps its 10 real minutes', async () => {
    const { scanner, store, lines } = started();
    await jest.advanceTimersByTimeAsync(5_000);
    // given a machine suspended two hours (that time went by), and a crisis flagged once it woke
    jest.setSystemTime(Date.now() + 2 * 60 * MINUTE);
    await jest.advanceTimersByTimeAsync(5_000);
    flagCrisisNow(store);
    await jest.advanceTimersByTimeAsync(60_000);
    // when the clock is set 3 minutes ahead by mistake, and NTP sets it right a minute later
    await setAheadThenRight(3 * MINUTE, 3 * MINUTE);
    const tier = store.moments.get(1)?.tier;
    await scanner.stop();
    // then 8 and a half real minutes after its flag, the crisis is still with its first tier, and nothing moved
    expect(tier).toBe(0);
    expect(lines.filter((line) => line.msg.includes('the clock was set back'))).toEqual([expect.objectContaining({ momentsMoved: 0 })]);
  });

  test('two mistakes set right at once: a crisis flagged between them moves back by the first (the clock it was flagged on), not by both', async () => {
    const { scanner, store } = started();
    await jest.advanceTimersByTimeAsync(5_000);
    jest.setSystemTime(Date.now() + 2 * MINUTE);
    await jest.advanceTimersByTimeAsync(5_000);
    flagCrisisNow(store);
    await jest.advanceTimersByTimeAsync(60_000);
    await setAheadThenRight(3 * MINUTE, 5 * MINUTE);
    const tier = store.moments.get(1)?.tier;
    await scanner.stop();
    expect(tier).toBe(0);
  });
});
