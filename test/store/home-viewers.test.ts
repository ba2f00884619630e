import { PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, type MemoryStore } from './store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

/** "id:userId" of every open Home publish. */
function homesQueued(now: number): string[] {
  return m.store.outbox.ready(now, 50).flatMap((r) => (r.notice.kind === 'publish_home' ? [`${r.id}:${r.notice.userId}`] : []));
}

describe('home viewers', () => {
  test('those who opened their Home since a time are found among the people asked about, in one read', () => {
    // given ana opened hers at T0, bea at T0 + 10 min, and cal never
    m.store.homeViewers.opened(PEOPLE.ana, T0);
    m.store.homeViewers.opened(PEOPLE.bea, T0 + 600_000);
    // then asking since T0 finds both; since T0 + 1 min, bea only; nobody asked about, nobody found
    expect(m.store.homeViewers.openedSince([PEOPLE.ana, PEOPLE.bea, PEOPLE.cal], T0).sort()).toEqual([PEOPLE.ana, PEOPLE.bea].sort());
    expect(m.store.homeViewers.openedSince([PEOPLE.ana, PEOPLE.bea, PEOPLE.cal], T0 + 60_000)).toEqual([PEOPLE.bea]);
    expect(m.store.homeViewers.openedSince([PEOPLE.cal], T0)).toEqual([]);
    expect(m.store.homeViewers.openedSince([], T0)).toEqual([]);
  });

  test('an opening recorded late (an older event) never moves the time back', () => {
    m.store.homeViewers.opened(PEOPLE.ana, T0 + 600_000);
    m.store.homeViewers.opened(PEOPLE.ana, T0);
    expect(m.store.homeViewers.openedSince([PEOPLE.ana], T0 + 600_000)).toEqual([PEOPLE.ana]);
  });
});

describe('queueHome', () => {
  test('a Home publish is queued once while one not yet taken waits; another person gets their own', () => {
    m.store.outbox.queueHome(PEOPLE.ana, T0);
    m.store.outbox.queueHome(PEOPLE.ana, T0 + 1);
    m.store.outbox.queueHome(PEOPLE.bea, T0 + 2);
    expect(homesQueued(T0 + 10)).toEqual([`1:${PEOPLE.ana}`, `2:${PEOPLE.bea}`]);
  });

  test('a publish a worker has taken may have rendered the Home already: a change after it queues another', () => {
    // given ana's publish claimed by a worker (rendering now)
    m.store.outbox.queueHome(PEOPLE.ana, T0);
    expect(m.store.outbox.claim(1, 'worker-a', T0, T0 + 30_000)).toBe(true);
    // when her Home changes again, then a second publish is queued
    m.store.outbox.queueHome(PEOPLE.ana, T0 + 1);
    expect(m.store.outbox.openRow(2, T0 + 1)?.notice).toEqual({ kind: 'publish_home', userId: PEOPLE.ana });
    // and once both are done, the next change queues a third
    m.store.outbox.markSent(1, T0 + 2);
    m.store.outbox.markSent(2, T0 + 3);
    m.store.outbox.queueHome(PEOPLE.ana, T0 + 4);
    expect(homesQueued(T0 + 10)).toEqual([`3:${PEOPLE.ana}`]);
  });

  test('a publish waiting to be tried again (after a failure) is waited for, not doubled; opening the Home tries it now', () => {
    // given ana's publish failed and waits to be tried again at T0 + 5 min
    m.store.outbox.queueHome(PEOPLE.ana, T0);
    m.store.outbox.claim(1, 'worker-a', T0, T0 + 30_000);
    m.store.outbox.scheduleRetry(1, T0 + 300_000, 'internal_error', false, T0 + 1);
    // when a change of her moments asks for it, then it still waits, alone
    m.store.outbox.queueHome(PEOPLE.ana, T0 + 2);
    expect(homesQueued(T0 + 10)).toEqual([]);
    expect(homesQueued(T0 + 300_000)).toEqual([`1:${PEOPLE.ana}`]);
    // and when she opens her Home, it is tried at once
    m.store.outbox.queueHome(PEOPLE.ana, T0 + 3, true);
    expect(homesQueued(T0 + 10)).toEqual([`1:${PEOPLE.ana}`]);
  });
});
