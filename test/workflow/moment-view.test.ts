import { CRISIS, flagged, MINUTE, PEOPLE, T0 } from '../core/fixtures';
import { memoryStore, storedMoment, type MemoryStore } from '../store/store-fixtures';
import { loadView, loadViews } from '../../src/workflow/moment-view';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

describe('loadViews', () => {
  test('each view read in a batch equals the view read alone; a moment that does not exist is left out', () => {
    // given two moments, one with a decision
    const first = storedMoment(m.store, flagged(CRISIS)).moment;
    const second = storedMoment(m.store).moment;
    m.store.reviews.appendDecision(second.id, { userId: PEOPLE.ana, role: 'brand', action: 'approve', comment: 'Go', revision: 1, tier: 0, at: T0 + MINUTE });
    // when both and an unknown id are read at once
    const views = loadViews(m.store, [second.id, 42, first.id]);
    // then the batch holds exactly the two known moments, each as loadView reads it
    expect([...views.keys()].sort()).toEqual([first.id, second.id].sort());
    expect(views.get(first.id)).toStrictEqual(loadView(m.store, first.id));
    expect(views.get(second.id)).toStrictEqual(loadView(m.store, second.id));
  });

  test('no ids read nothing', () => {
    expect(loadViews(m.store, []).size).toBe(0);
  });
});
