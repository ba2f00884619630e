import type { Roster } from '../../src/core/routing';
import { recordFlag } from '../../src/workflow/record-flag';
import { refreshCardsForRoster, rosterShownBefore } from '../../src/workflow/refresh-cards';
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

  test('at start, a roster changed since the one saved is caught up from it, and a start that reads the same has nothing to do', async () => {
    // given an open crisis moment, its cards brought up to date with cal in comms
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    m.db.prepare('DELETE FROM outbox').run();
    // when Greenlight starts and reads comms empty
    const before = await rosterShownBefore(m.store, rosterOf({ comms: [] }), () => T0 + MINUTE);
    // then the roster the messages show is the one to catch up from, and the refresh from it queues the card and saves
    expect(before).toEqual(rosterOf());
    expect(await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + MINUTE)).toBe(1);
    expect(updatesQueued()).toEqual([1]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
    // and a start that reads the same roster again has nothing to catch up
    expect(await rosterShownBefore(m.store, rosterOf({ comms: [] }), () => T0 + 2 * MINUTE)).toBeUndefined();
  });

  test('a database that never saved a roster starts from the one read now, with nothing to catch up', async () => {
    flag();
    m.db.prepare('DELETE FROM outbox').run();
    expect(await rosterShownBefore(m.store, rosterOf({ comms: [] }), () => T0)).toBeUndefined();
    expect(updatesQueued()).toEqual([]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
  });
});
