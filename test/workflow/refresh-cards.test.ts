import type { Roster } from '../../src/core/routing';
import { recordFlag } from '../../src/workflow/record-flag';
import { refreshCardsForRoster } from '../../src/workflow/refresh-cards';
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
