import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/store';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { FAILED_DEADLINE_RETRY_MS, sweepDeadlines } from '../../src/workflow/sweep-deadlines';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, tempDir, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
  const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  recordFlag(m.store, { ...flag, content: { ...CONTENT, title: 'Moment 1' } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
  m.db.prepare('DELETE FROM outbox').run();
});
afterEach(() => {
  m.store.close();
});

function queuedKinds(): string[] {
  const rows = m.db.prepare<[], { payload: string }>('SELECT payload FROM outbox ORDER BY id').all();
  return rows.map((r) => {
    const notice = JSON.parse(r.payload) as { kind: string; userId?: string };
    return notice.userId ? `${notice.kind}:${notice.userId}` : notice.kind;
  });
}

describe('sweepDeadlines', () => {
  test('a sweep whose work budget is spent leaves the rest due for the next, having applied at least one', () => {
    // given two more crisis moments: three moments' reminders and timeouts (six deadlines) due at once
    for (const key of ['flag:2', 'flag:3']) {
      const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
      recordFlag(m.store, { ...flag, content: { ...CONTENT, title: `Moment ${key}` } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, key, T0);
    }
    const now = T0 + 10 * MINUTE;
    // when each sweep has no budget left after its first deadline
    const spent = { ms: 5, spent: () => 5 };
    const first = sweepDeadlines(m.store, now, undefined, 500, spent);
    // then it applies one and says more are due; sweeps go on until none is, each deadline applied once
    expect(first).toMatchObject({ due: 6, applied: 1, more: true });
    let sweeps = 1;
    let applied = first.applied;
    for (let result = first; result.more; sweeps += 1) {
      result = sweepDeadlines(m.store, now, undefined, 500, spent);
      applied += result.applied;
    }
    expect([sweeps, applied]).toEqual([6, 6]);
    expect([1, 2, 3].map((id) => m.store.moments.get(id)?.tier)).toEqual([1, 1, 1]);
    // and a sweep with budget to spare applies everything due at once
    expect(sweepDeadlines(m.store, now + 10 * MINUTE)).toMatchObject({ due: 6, applied: 6, more: false });
  });

  test('a sweep whose first attempt fails keeps to its budget when it retries each deadline alone, and reaches the broken one', () => {
    // given three crisis moments whose reminders and timeouts are all due, the last one's stored plan unreadable
    for (const key of ['flag:2', 'flag:3']) {
      const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
      recordFlag(m.store, { ...flag, content: { ...CONTENT, title: `Moment ${key}` } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, key, T0);
    }
    m.db.prepare("UPDATE moments SET plan = 'not a plan' WHERE id = 3").run();
    const now = T0 + 10 * MINUTE;
    // when sweeps with no budget left after their first deadline run until nothing is left
    const spent = { ms: 5, spent: () => 5 };
    const results = [sweepDeadlines(m.store, now, undefined, 500, spent)];
    while (results.at(-1)?.more === true && results.length < 20) results.push(sweepDeadlines(m.store, now, undefined, 500, spent));
    // then each did one deadline's work; the four good ones were applied, the broken moment's two put off
    expect(results.map((r) => r.applied + r.failures.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(results.flatMap((r) => r.failures.map((f) => f.momentId))).toEqual([3, 3]);
    expect([1, 2].map((id) => m.store.moments.get(id)?.tier)).toEqual([1, 1]);
  });

  test('nothing is due before the reminder', () => {
    expect(sweepDeadlines(m.store, T0 + 5 * MINUTE - 1)).toEqual({ due: 0, applied: 0, events: 0, more: false, outcomes: [], failures: [] });
  });

  test('a due reminder is applied once: a second sweep at the same time applies nothing', () => {
    // given comms approved a crisis moment
    runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.cal) }, { userId: PEOPLE.cal, channel: 'C0CRISIS', responseUrl: undefined }, 'a:1', T0 + MINUTE);
    m.db.prepare('DELETE FROM outbox').run();
    // when the reminder comes due and two sweeps run
    const first = sweepDeadlines(m.store, T0 + 5 * MINUTE);
    const second = sweepDeadlines(m.store, T0 + 5 * MINUTE);
    // then only legal is reminded, once
    expect(first).toMatchObject({ due: 1, applied: 1, events: 1, failures: [] });
    expect(first.outcomes).toEqual([{ momentId: 1, deadline: 'remind', events: [{ type: 'reminded', userIds: [PEOPLE.leo], tier: 0, at: T0 + 5 * MINUTE }] }]);
    expect(second).toEqual({ due: 0, applied: 0, events: 0, more: false, outcomes: [], failures: [] });
    expect(queuedKinds()).toEqual([`remind_reviewer:${PEOPLE.leo}`]);
  });

  test('with the directory, the timeout seats who joined the leads since the flag: stored, asked, and able to decide', () => {
    // given a newcomer joined the leads after the crisis moment was flagged
    const now = T0 + 10 * MINUTE;
    const roster = { members: new Map(Object.entries({ ...MEMBERS, leads: [PEOPLE.lead, 'U0NEWLEAD'] })), unread: new Set<string>() };
    // when the sweep escalates the moment
    expect(sweepDeadlines(m.store, now, roster)).toMatchObject({ applied: 2, failures: [] });
    // then the newcomer is assigned at tier 1 beside the lead, and both are asked
    expect(m.store.reviews.assignments(1).filter((a) => a.tier === 1)).toEqual([
      { tier: 1, role: 'leads', userId: PEOPLE.lead },
      { tier: 1, role: 'leads', userId: 'U0NEWLEAD' },
    ]);
    expect(queuedKinds().filter((k) => k.startsWith('dm_reviewer'))).toEqual([`dm_reviewer:${PEOPLE.lead}`, 'dm_reviewer:U0NEWLEAD']);
    // and the newcomer's approval settles it
    const reply = { userId: 'U0NEWLEAD', channel: 'D0NEW', responseUrl: undefined };
    expect(runCommand(m.store, 1, { kind: 'approve', actor: actor('U0NEWLEAD', ['leads']) }, reply, 'a:new', now + MINUTE)).toMatchObject({ kind: 'done' });
    expect(m.store.moments.get(1)?.state.status).toBe('approved');
  });

  test('at the timeout the moment escalates to the leads with fresh deadlines, logged as the clock', () => {
    // given both tier-0 deadlines are due
    const now = T0 + 10 * MINUTE;
    // when the sweep runs
    const result = sweepDeadlines(m.store, now);
    // then the reminder and the timeout are applied (the reminder, overdue with the timeout, causes nothing), and the
    // moment is at tier 1 until now + 10m
    expect(result).toMatchObject({ due: 2, applied: 2, events: 1, failures: [] });
    expect(result.outcomes.map((o) => [o.momentId, o.deadline, o.events.map((e) => e.type)])).toEqual([
      [1, 'remind', []],
      [1, 'timeout', ['escalated']],
    ]);
    expect(m.store.moments.get(1)).toMatchObject({ tier: 1, state: { status: 'pending' }, dueAt: now + 10 * MINUTE, version: 1 });
    expect(m.store.reviews.decisions(1)).toEqual([{ userId: undefined, role: undefined, action: 'timeout', comment: undefined, revision: 1, tier: 0, at: now }]);
    expect(m.store.deadlines.openFor(1)).toEqual([
      { kind: 'remind', tier: 1, revision: 1, dueAt: now + 5 * MINUTE },
      { kind: 'timeout', tier: 1, revision: 1, dueAt: now + 10 * MINUTE },
    ]);
    // and no reminder goes out beside the escalation
    // (the flagger is told where their moment went; the tier left behind has its DMs re-rendered without buttons)
    expect(queuedKinds()).toEqual(['update_card', 'thread_note', 'notify_flagger', `dm_reviewer:${PEOPLE.lead}`, `update_dm:${PEOPLE.cal}`, `update_dm:${PEOPLE.leo}`]);
  });

  test('after the last tier times out the moment expires and no deadline is left', () => {
    // when every tier runs out in turn (crisis: roles, leads, execs)
    const results = [10, 20, 30].map((minutes) => sweepDeadlines(m.store, T0 + minutes * MINUTE));
    // then it expired at the last timeout
    expect(results.map((r) => r.applied)).toEqual([2, 2, 2]);
    expect(m.store.moments.get(1)?.state).toEqual({ status: 'expired', by: undefined, comment: undefined, at: T0 + 30 * MINUTE });
    expect(m.store.reviews.decisions(1).map((d) => [d.action, d.tier])).toEqual([
      ['timeout', 0],
      ['timeout', 1],
      ['timeout', 2],
    ]);
    expect(m.store.deadlines.openFor(1)).toEqual([]);
    expect(sweepDeadlines(m.store, T0 + 999 * MINUTE)).toEqual({ due: 0, applied: 0, events: 0, more: false, outcomes: [], failures: [] });
  });

  test('a deadline that cannot be applied rolls back alone: another moment due at the same time still escalates', () => {
    // given a second crisis moment flagged at the same time, and the first one's stored plan unreadable
    const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
    recordFlag(m.store, { ...flag, content: { ...CONTENT, title: 'Moment 2' } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:2', T0);
    m.db.prepare("UPDATE moments SET plan = 'not a plan' WHERE id = 1").run();
    // when both moments' deadlines come due
    const result = sweepDeadlines(m.store, T0 + 10 * MINUTE);
    // then the second escalates, and the first one's two deadlines are reported, still open for the next sweep
    expect(result).toMatchObject({ due: 4, applied: 2, events: 1 });
    expect(result.failures.map((f) => f.momentId)).toEqual([1, 1]);
    expect(m.store.moments.get(2)?.tier).toBe(1);
    expect(m.db.prepare('SELECT count(*) AS n FROM deadlines WHERE moment_id = 1 AND done_at IS NULL').get()).toEqual({ n: 2 });
  });

  test('a deadline that cannot be applied is postponed a minute, behind those due meanwhile, so failures never fill the sweep', () => {
    // given the first crisis moment's stored plan unreadable, and a second moment flagged later
    m.db.prepare("UPDATE moments SET plan = 'not a plan' WHERE id = 1").run();
    const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
    recordFlag(m.store, { ...flag, content: { ...CONTENT, title: 'Moment 2' } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:2', T0 + 5 * MINUTE + 1);
    // when the first moment's two deadlines fail in a sweep limited to two
    const now = T0 + 10 * MINUTE;
    expect(sweepDeadlines(m.store, now, undefined, 2).failures.map((f) => f.momentId)).toEqual([1, 1]);
    // then they wait a minute: a sweep half a minute on, still limited to two, reminds the second moment's reviewers
    const later = sweepDeadlines(m.store, now + 30_000, undefined, 2);
    expect(later).toMatchObject({ due: 1, applied: 1, failures: [] });
    // and a minute on they are tried again, still open
    expect(m.db.prepare('SELECT due_at FROM deadlines WHERE moment_id = 1 AND done_at IS NULL').all()).toEqual([{ due_at: now + FAILED_DEADLINE_RETRY_MS }, { due_at: now + FAILED_DEADLINE_RETRY_MS }]);
    expect(sweepDeadlines(m.store, now + FAILED_DEADLINE_RETRY_MS).failures).toHaveLength(2);
  });

  test('when a later deadline fails, what the sweep already applied before it is written once, not twice', () => {
    // given a second crisis moment flagged at the same time, whose timeout cannot be written (its decision is
    // refused), though its moment reads well: the failure comes after the first moment's deadlines are applied
    const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
    recordFlag(m.store, { ...flag, content: { ...CONTENT, title: 'Moment 2' } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:2', T0);
    m.db.prepare('DELETE FROM outbox').run();
    m.db.exec("CREATE TEMP TRIGGER refuse_second BEFORE INSERT ON decisions WHEN NEW.moment_id = 2 BEGIN SELECT RAISE(ABORT, 'refused'); END");
    // when both moments' reminders and timeouts come due
    const result = sweepDeadlines(m.store, T0 + 10 * MINUTE);
    // then the first was escalated exactly once (the reminders, overdue with the timeouts, cause nothing); only the
    // second's timeout failed
    expect(result).toMatchObject({ due: 4, applied: 3, events: 1 });
    expect(result.failures.map((f) => f.momentId)).toEqual([2]);
    expect(m.store.moments.get(1)).toMatchObject({ tier: 1, version: 1 });
    expect(m.store.moments.get(2)).toMatchObject({ tier: 0, version: 0 });
    expect(m.store.reviews.decisions(1).map((d) => d.action)).toEqual(['timeout']);
    const queued = m.db.prepare('SELECT moment_id, count(*) AS n FROM outbox GROUP BY moment_id ORDER BY moment_id').all();
    expect(queued).toEqual([{ moment_id: 1, n: 6 }]);
    expect(m.db.prepare('SELECT moment_id, kind FROM deadlines WHERE done_at IS NULL ORDER BY moment_id, kind').all()).toEqual([
      { moment_id: 1, kind: 'remind' },
      { moment_id: 1, kind: 'timeout' },
      { moment_id: 2, kind: 'timeout' },
    ]);
  });

  test('a database held by another process fails the sweep once, without a second attempt', () => {
    // given the sweep's store counts its transactions, and another process holds the write lock
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'greenlight.db');
      const store = openStore(file, { synchronous: 'NORMAL', busyTimeoutMs: 50 });
      const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
      recordFlag(store, { ...flag, content: { ...CONTENT, title: 'Moment 1' } }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
      const transaction = jest.spyOn(store, 'transaction');
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      try {
        // when the sweep runs
        const sweep = () => sweepDeadlines(store, T0 + 10 * MINUTE);
        // then it fails as the database said, having tried the transaction once
        expect(sweep).toThrow('database is locked');
        expect(transaction).toHaveBeenCalledTimes(1);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      // and once the lock is gone the deadlines are all still there to apply
      expect(sweepDeadlines(store, T0 + 10 * MINUTE)).toMatchObject({ due: 2, applied: 2 });
      store.close();
    } finally {
      cleanup();
    }
  });

  test('deadlines of a moment closed in the meantime are gone and cause nothing', () => {
    // given the flagger withdrew before the reminder
    runCommand(m.store, 1, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, { userId: PEOPLE.flagger, channel: undefined, responseUrl: undefined }, 'w:1', T0 + MINUTE);
    // when the sweep runs long after
    expect(sweepDeadlines(m.store, T0 + 60 * MINUTE)).toEqual({ due: 0, applied: 0, events: 0, more: false, outcomes: [], failures: [] });
    expect(m.store.moments.get(1)?.state.status).toBe('withdrawn');
  });
});

describe('a press on a moment whose deadline passed before any sweep applied it', () => {
  const reply = (userId: string) => ({ userId, channel: 'C0CRISIS', responseUrl: undefined });

  test('the deadline is applied first: a press from the tier whose window closed does not decide the moment', () => {
    // given comms approved at tier 0, and tier 0's ten minutes (and the leads' ten) passed with no sweep
    runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.cal) }, reply(PEOPLE.cal), 'a:1', T0 + MINUTE);
    const now = T0 + 15 * MINUTE;
    // when legal approves from the tier-0 DM
    const outcome = runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.leo), revision: 1, fromTier: 0 }, reply(PEOPLE.leo), 'a:2', now);
    // then the moment had escalated to the leads at its due time, and legal's press is refused as from a tier it left
    expect(outcome).toMatchObject({ kind: 'refused', code: 'stale_tier' });
    const moment = m.store.moments.get(1);
    expect(moment).toMatchObject({ tier: 1, state: { status: 'pending' } });
    expect(m.store.reviews.decisions(1).map((d) => d.action)).toEqual(['approve', 'timeout']);
    // and a sweep at the same instant finds nothing more to do for it
    expect(sweepDeadlines(m.store, now).applied).toBe(0);
  });

  test('a press in time reads no deadline, and the sweep still applies it later', () => {
    const outcome = runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.cal) }, reply(PEOPLE.cal), 'a:1', T0 + 10 * MINUTE - 1);
    expect(outcome.kind).toBe('done');
    expect(m.store.moments.get(1)?.tier).toBe(0);
    expect(sweepDeadlines(m.store, T0 + 10 * MINUTE).applied).toBeGreaterThan(0);
    expect(m.store.moments.get(1)?.tier).toBe(1);
  });

  test('a deadline due at the very instant of the press wins, as it would in a sweep at that instant', () => {
    // given the leads were asked at tier 0's timeout, and their own window runs out unswept
    sweepDeadlines(m.store, T0 + 10 * MINUTE);
    const leadsDue = m.store.moments.get(1)?.dueAt ?? 0;
    // when a lead presses from the tier-1 DM exactly then
    const late = runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.lead), revision: 1, fromTier: 1 }, reply(PEOPLE.lead), 'a:2', leadsDue);
    // then the moment had gone on to the execs, who decide now
    expect(late).toMatchObject({ kind: 'refused', code: 'stale_tier' });
    expect(m.store.moments.get(1)?.tier).toBe(2);
    const boss = runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.boss), revision: 1, fromTier: 2 }, reply(PEOPLE.boss), 'a:3', leadsDue + 1);
    expect(boss.kind).toBe('done');
    expect(m.store.moments.get(1)?.state.status).toBe('approved');
  });

  test('a refusal shown in a form rolls back the press alone: the deadline applied before it stands', () => {
    // given tier 0's window ran out unswept; when a tier-0 Reject… form is sent (its refusal is shown in the form)
    const form = { userId: PEOPLE.cal, channel: undefined, responseUrl: undefined };
    const outcome = runCommand(m.store, 1, { kind: 'reject', actor: actor(PEOPLE.cal), reason: 'No', revision: 1, fromTier: 0 }, form, 'view:V1', T0 + 11 * MINUTE);
    // then the form says the moment moved on, and it has: the leads are asked
    expect(outcome).toMatchObject({ kind: 'refused', code: 'stale_tier' });
    expect(m.store.moments.get(1)?.tier).toBe(1);
    expect(queuedKinds()).toContain(`dm_reviewer:${PEOPLE.lead}`);
    // and the same form may be sent again (the press left no trace), to the same refusal
    expect(runCommand(m.store, 1, { kind: 'reject', actor: actor(PEOPLE.cal), reason: 'No', revision: 1, fromTier: 0 }, form, 'view:V1', T0 + 12 * MINUTE)).toMatchObject({
      kind: 'refused',
      code: 'stale_tier',
    });
  });

  test('a press from a button that does not name its tier counts as made at the tier before the catch-up: an old Escalate moves one tier', () => {
    // (the flagger, who may escalate at any tier)
    const outcome = runCommand(m.store, 1, { kind: 'escalate', actor: actor(PEOPLE.flagger) }, reply(PEOPLE.flagger), 'e:1', T0 + 11 * MINUTE);
    expect(outcome).toMatchObject({ kind: 'refused', code: 'stale_tier' });
    expect(m.store.moments.get(1)?.tier).toBe(1);
  });

  test('a withdrawal past due applies no deadline first: the next tier is not pinged about a moment closing', () => {
    const outcome = runCommand(m.store, 1, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, reply(PEOPLE.flagger), 'w:1', T0 + 11 * MINUTE);
    expect(outcome.kind).toBe('done');
    expect(m.store.moments.get(1)).toMatchObject({ tier: 0, state: { status: 'withdrawn' } });
    expect(queuedKinds()).not.toContain(`dm_reviewer:${PEOPLE.lead}`);
  });

  test('a withdrawal past the last tier\'s deadline finds the moment expired, as the sweep would have left it', () => {
    // given the crisis moment escalated to the execs, the last tier, whose ten minutes passed with no sweep
    runCommand(m.store, 1, { kind: 'escalate', actor: actor(PEOPLE.cal) }, reply(PEOPLE.cal), 'e:1', T0 + MINUTE);
    runCommand(m.store, 1, { kind: 'escalate', actor: actor(PEOPLE.lead) }, reply(PEOPLE.lead), 'e:2', T0 + 2 * MINUTE);
    expect(m.store.moments.get(1)?.tier).toBe(2);
    // when the flagger withdraws it
    const outcome = runCommand(m.store, 1, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, reply(PEOPLE.flagger), 'w:1', T0 + 13 * MINUTE);
    // then it had expired at its deadline: the withdrawal is refused, and stats count an expiry
    expect(outcome).toMatchObject({ kind: 'refused', code: 'already_final' });
    expect(m.store.moments.get(1)?.state).toMatchObject({ status: 'expired', at: T0 + 13 * MINUTE });
  });
});
