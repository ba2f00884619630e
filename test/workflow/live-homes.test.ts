import { homePeopleOf, LIVE_HOME_MS, refreshLiveHomes } from '../../src/workflow/live-homes';
import { CRISIS, flagged, MEMBERS, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

test("a moment's Home people are its flagger and its reviewers of every tier, once each", () => {
  const view = flagged(CRISIS, { members: { ...MEMBERS, leads: [PEOPLE.lead, PEOPLE.cal] } });
  expect(homePeopleOf(view).sort()).toEqual([PEOPLE.flagger, PEOPLE.cal, PEOPLE.leo, PEOPLE.lead, PEOPLE.boss].sort());
});

test('only those who opened their Home within the hour get a fresh one, one each however often asked', () => {
  // given ana opened hers just now, bea just over an hour ago, cal never
  const now = T0 + 2 * LIVE_HOME_MS;
  m.store.homeViewers.opened(PEOPLE.ana, now - 1000);
  m.store.homeViewers.opened(PEOPLE.bea, now - LIVE_HOME_MS - 1);
  // when two changes of their moments ask
  refreshLiveHomes(m.store, [PEOPLE.ana, PEOPLE.bea, PEOPLE.cal], now);
  refreshLiveHomes(m.store, [PEOPLE.ana], now + 1);
  // then ana's Home is queued, once
  const queued = m.store.outbox.ready(now + 10, 50).map((r) => r.notice);
  expect(queued).toEqual([{ kind: 'publish_home', userId: PEOPLE.ana }]);
});
