import { memoryStore, type MemoryStore } from './store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

test('the roster shown reads back as saved, and a later save replaces it', () => {
  // given a database that never saved one
  expect(m.store.rosterShown.read()).toBeUndefined();
  // when a roster is saved, then another
  m.store.rosterShown.save({ members: new Map([['legal', ['U0LEO']], ['comms', []]]), unread: new Set(['leads']) }, 1);
  expect(m.store.rosterShown.read()).toEqual({ members: new Map([['legal', ['U0LEO']], ['comms', []]]), unread: new Set(['leads']) });
  m.store.rosterShown.save({ members: new Map([['legal', []]]), unread: new Set() }, 2);
  // then the last one is what reads back, in one row
  expect(m.store.rosterShown.read()).toEqual({ members: new Map([['legal', []]]), unread: new Set() });
  expect(m.db.prepare('SELECT count(*) AS n FROM roster_shown').get()).toEqual({ n: 1 });
});

test('an unread role saved with members reads back with them (its last known); one saved before migration 033 reads with none', () => {
  // given legal saved unread with the members the messages last showed
  m.store.rosterShown.save({ members: new Map([['legal', ['U0LEO']], ['comms', ['U0CAL']]]), unread: new Set(['legal']) }, 1);
  expect(m.store.rosterShown.read()).toEqual({ members: new Map([['legal', ['U0LEO']], ['comms', ['U0CAL']]]), unread: new Set(['legal']) });
  // when the row is as an earlier version saved it (no last known: its unread role held whatever part of it was read)
  m.db.prepare('UPDATE roster_shown SET last_known = NULL').run();
  // then the unread role reads with no members, which no change of its people can be worked out from
  expect(m.store.rosterShown.read()).toEqual({ members: new Map([['comms', ['U0CAL']]]), unread: new Set(['legal']) });
});
