import type { Roster } from '../../src/core/routing';
import { recordFlag } from '../../src/workflow/record-flag';
import { catchUpWithRoster, refreshCardsForRoster } from '../../src/workflow/refresh-cards';
import { runCommand } from '../../src/workflow/run-command';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

const REPLY = { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined };

function flag(t = CRISIS, key = `flag:${Math.random()}`): void {
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: t, source: undefined }, membersFrom(MEMBERS), REPLY, key, T0);
}

function rosterOf(changes: Record<string, string[]> = {}): Roster {
  return { members: new Map(Object.entries({ ...MEMBERS, ...changes })), unread: new Set() };
}

/** Moment ids with a card update queued, in the order queued. */
function updatesQueued(): number[] {
  return m.db
    .prepare<[], { moment_id: number }>("SELECT moment_id FROM outbox WHERE json_extract(payload, '$.kind') = 'update_card' ORDER BY id")
    .all()
    .map((r) => r.moment_id);
}

describe('refreshCardsForRoster', () => {
  test('a card update is queued for each open moment the change shows on, page by page, and for no other', async () => {
    // given five open crisis moments (awaiting cal in comms), one decided, and one brand moment
    for (let i = 0; i < 6; i += 1) flag();
    flag(topic({ name: 'sports' }));
    for (const userId of [PEOPLE.cal, PEOPLE.leo]) runCommand(m.store, 6, { kind: 'approve', actor: actor(userId) }, REPLY, `approve:${userId}`, T0 + MINUTE);
    expect(m.store.moments.get(6)?.state.status).toBe('approved');
    m.db.prepare('DELETE FROM outbox').run();
    // when cal leaves comms, read two moments at a time
    const queued = await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + 2 * MINUTE, 2);
    // then the five open crisis cards are queued for an update, not the decided one nor the brand one
    expect(queued).toBe(5);
    expect(updatesQueued().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });

  test('a change no card shows queues nothing', async () => {
    flag();
    m.db.prepare('DELETE FROM outbox').run();
    expect(await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ brand: [] }), () => T0)).toBe(0);
    expect(updatesQueued()).toEqual([]);
  });
});

describe('the roster shown', () => {
  test('a refresh saves the roster it brought the cards to, once every page has committed', async () => {
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0, 1);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
  });

  test('at start, a roster changed since the one saved queues what reads differently, then is saved', async () => {
    // given an open crisis moment, its cards brought up to date with cal in comms
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    m.db.prepare('DELETE FROM outbox').run();
    // when Greenlight starts and reads comms empty
    expect(await catchUpWithRoster(m.store, rosterOf({ comms: [] }), () => T0 + MINUTE)).toBe(1);
    // then the card (and cal's DM) are queued for an update, and the new roster is the one saved
    expect(updatesQueued()).toEqual([1]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
    // and a start that reads the same roster again queues nothing
    m.db.prepare('DELETE FROM outbox').run();
    expect(await catchUpWithRoster(m.store, rosterOf({ comms: [] }), () => T0 + 2 * MINUTE)).toBe(0);
    expect(updatesQueued()).toEqual([]);
  });

  test('a database that never saved a roster starts from the one read now, with nothing queued', async () => {
    flag();
    m.db.prepare('DELETE FROM outbox').run();
    expect(await catchUpWithRoster(m.store, rosterOf({ comms: [] }), () => T0)).toBe(0);
    expect(updatesQueued()).toEqual([]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
  });
});
