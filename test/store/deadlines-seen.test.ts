import { T0, PEOPLE } from '../core/fixtures';
import { memoryStore, storedMoment, type MemoryStore } from './store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

describe('deadlines', () => {
  test('due returns only open deadlines at or before now, oldest first, within the limit', () => {
    // given deadlines of two moments at various times, one of them already done
    const a = storedMoment(m.store).moment.id;
    const b = storedMoment(m.store).moment.id;
    m.store.deadlines.schedule(a, [
      { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 300 },
      { kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 100 },
    ]);
    m.store.deadlines.schedule(b, [
      { kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 100 },
      { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 900 },
    ]);
    const done = m.store.deadlines.due(T0 + 100, 10).find((d) => d.momentId === b);
    expect(m.store.deadlines.claim(done?.id ?? -1, T0 + 100)).toBe(true);
    // when what is due at T0+300 is read
    const due = m.store.deadlines.due(T0 + 300, 10);
    // then a's remind then a's timeout, not b's claimed remind nor b's future timeout
    expect(due).toEqual([
      { id: 2, momentId: a, kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 100 },
      { id: 1, momentId: a, kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 300 },
    ]);
    expect(m.store.deadlines.due(T0 + 300, 1).map((d) => d.id)).toEqual([2]);
    expect(m.store.deadlines.due(T0 + 99, 10)).toEqual([]);
  });

  test('two equally due deadlines come in insertion order', () => {
    const a = storedMoment(m.store).moment.id;
    m.store.deadlines.schedule(a, [
      { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 },
      { kind: 'remind', tier: 0, revision: 1, dueAt: T0 },
    ]);
    expect(m.store.deadlines.due(T0, 10).map((d) => d.kind)).toEqual(['timeout', 'remind']);
  });

  test('a deadline is claimed once: the second claim is false', () => {
    const a = storedMoment(m.store).moment.id;
    m.store.deadlines.schedule(a, [{ kind: 'timeout', tier: 0, revision: 1, dueAt: T0 }]);
    const [deadline] = m.store.deadlines.due(T0, 10);
    expect([m.store.deadlines.claim(deadline?.id ?? -1, T0), m.store.deadlines.claim(deadline?.id ?? -1, T0 + 1)]).toEqual([true, false]);
    expect(m.store.deadlines.due(T0 + 1000, 10)).toEqual([]);
  });

  test('cancelOpen closes only the given moment\'s open deadlines', () => {
    const a = storedMoment(m.store).moment.id;
    const b = storedMoment(m.store).moment.id;
    const spec = { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 } as const;
    m.store.deadlines.schedule(a, [spec]);
    m.store.deadlines.schedule(b, [spec]);
    m.store.deadlines.cancelOpen(a, T0);
    expect([m.store.deadlines.openFor(a), m.store.deadlines.openFor(b)]).toEqual([[], [spec]]);
  });

  test('the due query searches the partial deadlines_due index instead of scanning the table', () => {
    // given the exact query deadlines.due runs
    const plan = m.db
      .prepare<[number, number], { detail: string }>(
        'EXPLAIN QUERY PLAN SELECT id, moment_id, kind, tier, revision, due_at FROM deadlines WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?',
      )
      .all(T0, 10)
      .map((r) => r.detail);
    // then SQLite searches the index and needs no sort
    expect(plan).toEqual(['SEARCH deadlines USING INDEX deadlines_due (due_at<?)']);
  });
});

describe('seen', () => {
  test('a key is remembered once; the second time says it was already there', () => {
    expect([m.store.seen.remember('action:1', T0), m.store.seen.remember('action:1', T0 + 1)]).toEqual([true, false]);
    expect(m.store.seen.has('action:1')).toBe(true);
    expect(m.store.seen.has('action:2')).toBe(false);
  });

  test('keys older than a time are forgotten', () => {
    m.store.seen.remember('old', T0);
    m.store.seen.remember('new', T0 + 10);
    expect(m.store.seen.forgetBefore(T0 + 10)).toBe(1);
    expect([m.store.seen.has('old'), m.store.seen.has('new')]).toEqual([false, true]);
  });
});

describe('transaction', () => {
  test('a throw inside a transaction rolls back every write made in it', () => {
    // given a transaction that writes to several tables and then fails
    const work = () =>
      m.store.transaction(() => {
        m.store.seen.remember('key', T0);
        const { moment } = storedMoment(m.store);
        m.store.deadlines.schedule(moment.id, [{ kind: 'timeout', tier: 0, revision: 1, dueAt: T0 }]);
        m.store.outbox.enqueue(moment.id, [{ kind: 'post_card' }], T0);
        throw new Error('boom');
      });
    // when it runs, then the error comes out and nothing was kept
    expect(work).toThrow('boom');
    expect(m.store.seen.has('key')).toBe(false);
    expect(m.store.moments.get(1)).toBeUndefined();
    expect(m.store.deadlines.due(T0, 10)).toEqual([]);
    expect(m.store.outbox.stats()).toEqual({ open: 0, sent: 0, failed: 0, skipped: 0 });
  });

  test('a transaction that returns commits and hands back its value', () => {
    const id = m.store.transaction(() => storedMoment(m.store).moment.id);
    expect(m.store.moments.get(id)?.flaggerId).toBe(PEOPLE.flagger);
  });
});
