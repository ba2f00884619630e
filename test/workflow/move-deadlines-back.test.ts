import { moveDeadlinesBack, scheduledMarks } from '../../src/workflow/move-deadlines-back';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

// Two crisis moments flagged at T0 (10 minutes to decide, reminded at half-time); the second is withdrawn.
let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
  const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  const replyTo = { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined };
  recordFlag(m.store, { ...flag, content: { ...CONTENT, title: 'Open' } }, membersFrom(MEMBERS), replyTo, 'flag:1', T0);
  recordFlag(m.store, { ...flag, content: { ...CONTENT, title: 'Withdrawn' } }, membersFrom(MEMBERS), replyTo, 'flag:2', T0);
  runCommand(m.store, 2, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, { ...replyTo, channel: undefined }, 'w:2', T0 + MINUTE);
  m.db.prepare('DELETE FROM outbox').run();
});
afterEach(() => {
  m.store.close();
});

function cardUpdates(): number[] {
  return m.db
    .prepare<[], { moment_id: number }>("SELECT moment_id FROM outbox WHERE kind = 'update_card' ORDER BY id")
    .all()
    .map((r) => r.moment_id);
}

test('a clock set back an hour moves the open moment\'s deadlines and due time back an hour, and queues its card\'s update', () => {
  // given the open moment, due at T0 + 10 min and reminded at T0 + 5 min, at version v
  const version = m.store.moments.get(1)?.version;
  // when the clock is found set back an hour at T0 + 2 min (on the new clock)
  const moved = moveDeadlinesBack(m.store, 60 * MINUTE, T0 + 2 * MINUTE - 60 * MINUTE);
  // then its deadlines and the due time its card shows are an hour earlier, in a new version, and its card is updated
  expect(moved).toEqual({ deadlines: 2, moments: 1, cards: 1, movedAlready: false });
  expect(m.store.deadlines.openFor(1).map((d) => d.dueAt)).toEqual([T0 + 5 * MINUTE - 60 * MINUTE, T0 + 10 * MINUTE - 60 * MINUTE]);
  expect(m.store.moments.get(1)).toMatchObject({ dueAt: T0 + 10 * MINUTE - 60 * MINUTE, version: (version ?? 0) + 1 });
  expect(cardUpdates()).toEqual([1]);
  // and so are its reviewers' DMs, which say "Decide by" that time
  const dms = m.db.prepare<[], { user: string }>("SELECT json_extract(payload, '$.userId') AS user FROM outbox WHERE kind = 'update_dm' AND moment_id = 1 ORDER BY id").all();
  expect(dms.map((r) => r.user).sort()).toEqual([PEOPLE.cal, PEOPLE.leo].sort());
});

test('a moment waiting for its revision has the flagger\'s request for changes updated, which says when the revision is due', () => {
  runCommand(m.store, 1, { kind: 'request_changes', actor: actor(PEOPLE.cal), comment: 'Softer' }, { userId: PEOPLE.cal, channel: 'C0CRISIS', responseUrl: undefined }, 'rc:1', T0 + MINUTE);
  m.db.prepare('DELETE FROM outbox').run();
  moveDeadlinesBack(m.store, 60 * MINUTE, T0 + 2 * MINUTE - 60 * MINUTE);
  const kinds = m.db.prepare<[], { kind: string }>('SELECT kind FROM outbox WHERE moment_id = 1 ORDER BY id').all().map((r) => r.kind);
  expect(kinds).toContain('update_flagger_note');
});

test('a closed moment keeps its due time and its card, and its closed deadlines stay as they were', () => {
  const before = m.store.moments.get(2);
  const closedDeadlines = () => m.db.prepare('SELECT due_at FROM deadlines WHERE moment_id = 2 ORDER BY id').all();
  const deadlinesBefore = closedDeadlines();
  moveDeadlinesBack(m.store, 60 * MINUTE, T0);
  expect(m.store.moments.get(2)).toEqual(before);
  expect(closedDeadlines()).toEqual(deadlinesBefore);
  expect(cardUpdates()).toEqual([1]);
});

test('a step of a few seconds queues an update only for the cards whose shown due minute it changes', () => {
  // given moment 1 due at 09:10:00 and moment 3, flagged 30 s later, due at 09:10:30
  const flag = { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title: 'Later' }, topic: CRISIS, source: undefined };
  recordFlag(m.store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:3', T0 + 30_000);
  m.db.prepare('DELETE FROM outbox').run();
  // when the clock is set back 3 s
  const moved = moveDeadlinesBack(m.store, 3_000, T0 + MINUTE);
  // then both moved, but only moment 1's card reads differently (09:09, no longer 09:10)
  expect(moved).toEqual({ deadlines: 4, moments: 2, cards: 1, movedAlready: false });
  expect(m.store.moments.get(3)?.dueAt).toBe(T0 + 30_000 + 10 * MINUTE - 3_000);
  expect(cardUpdates()).toEqual([1]);
});

test('a second process that sees the same step (an overlapping deploy) moves nothing again', () => {
  // given one process moved the deadlines back an hour for a step it saw
  const first = moveDeadlinesBack(m.store, 60 * MINUTE, T0 + 2 * MINUTE - 60 * MINUTE);
  const due = m.store.deadlines.openFor(1).map((d) => d.dueAt);
  // when the other process sees the same step a second later, give or take a second of size
  const second = moveDeadlinesBack(m.store, 60 * MINUTE - 800, T0 + 2 * MINUTE + 1000 - 60 * MINUTE);
  // then it moves nothing: the deadlines stay an hour earlier, not two
  expect(first.movedAlready).toBe(false);
  expect(second).toEqual({ deadlines: 0, moments: 0, cards: 0, movedAlready: true });
  expect(m.store.deadlines.openFor(1).map((d) => d.dueAt)).toEqual(due);
});

test('a later step of its own is moved again', () => {
  moveDeadlinesBack(m.store, 60 * MINUTE, T0 - 58 * MINUTE);
  expect(moveDeadlinesBack(m.store, 60 * MINUTE, T0 - 30 * MINUTE).movedAlready).toBe(false);
});

test('a step back that undoes a jump forward moves only what was flagged or scheduled after the jump, for that part', () => {
  // given the open moment flagged before a 3-minute jump forward (the marks), then escalated after it on the clock ahead
  const marks = scheduledMarks(m.store);
  const flaggedAt = m.store.moments.get(1)?.createdAt ?? 0;
  runCommand(m.store, 1, { kind: 'escalate', actor: actor(PEOPLE.cal) }, { userId: PEOPLE.cal, channel: 'C0CRISIS', responseUrl: undefined }, 'esc:1', T0 + 5 * MINUTE);
  const escalatedDue = m.store.moments.get(1)?.dueAt ?? 0;
  // and a moment flagged after it
  const flag = { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title: 'Later' }, topic: CRISIS, source: undefined };
  recordFlag(m.store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:3', T0 + 6 * MINUTE);
  // when the clock is set back those 3 minutes
  const moved = moveDeadlinesBack(m.store, 3 * MINUTE, T0 + 4 * MINUTE, [{ ...marks, ms: 3 * MINUTE }]);
  // then the escalated moment's new window moves back, its flag time stays; the later moment moves whole
  expect(moved).toMatchObject({ moments: 2, movedAlready: false });
  expect(m.store.moments.get(1)).toMatchObject({ dueAt: escalatedDue - 3 * MINUTE, createdAt: flaggedAt });
  expect(m.store.moments.get(3)).toMatchObject({ createdAt: T0 + 3 * MINUTE, dueAt: T0 + 13 * MINUTE });
});
