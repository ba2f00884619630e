import type { Roster } from '../../src/core/routing';
import { homeContents } from '../../src/workflow/home-contents';
import { recordFlag } from '../../src/workflow/record-flag';
import { refreshCardsForRoster } from '../../src/workflow/refresh-cards';
import { CONTENT, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

const REPLY = { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined };

function rosterOf(changes: Record<string, string[]> = {}): Roster {
  return { members: new Map(Object.entries({ ...MEMBERS, ...changes })), unread: new Set() };
}

function homesQueued(): string[] {
  return m.store.outbox.ready(T0 + 10 * MINUTE, 100).flatMap((r) => (r.notice.kind === 'publish_home' ? [r.notice.userId] : []));
}

describe('a roster change and the open Homes', () => {
  test("the flagger's open Home loses Escalate when the roster leaves nobody to escalate to", async () => {
    // given a brand moment (escalates to leads) and its flagger's Home open, offering Escalate to leads
    recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: topic({ name: 'sports' }), source: undefined }, membersFrom(MEMBERS), REPLY, 'flag:1', T0);
    m.store.homeViewers.opened(PEOPLE.flagger, T0 + MINUTE);
    expect(homeContents(m.store, PEOPLE.flagger, undefined, rosterOf()).escalateTo.get(1)).toEqual(['leads']);
    expect(homeContents(m.store, PEOPLE.flagger, undefined, rosterOf({ leads: [] })).escalateTo.has(1)).toBe(false);
    m.db.prepare('DELETE FROM outbox').run();
    // when the leads group empties (the card drops Escalate: no one can take it)
    const queued = await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ leads: [] }), () => T0 + 2 * MINUTE);
    expect(queued).toBe(1);
    // then the flagger's open Home is published again (its Escalate button is gone too)
    expect(homesQueued()).toContain(PEOPLE.flagger);
  });
});
