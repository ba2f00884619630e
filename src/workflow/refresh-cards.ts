import { cardChangesWithRoster } from '../core/policy';
import type { Roster } from '../core/routing';
import type { Store } from '../store/store';
import { loadViews } from './moment-view';

/** Open moments read per group commit: thousands open must not hold the requests waiting behind one long read. */
export const REFRESH_PAGE = 200;

/**
 * Someone joined or left a role: the open cards that read differently now are queued for an update (an awaited
 * reviewer who left is no longer listed, Escalate appears or goes). Cards the change does not touch are left alone,
 * so a group change costs one paced update per card it shows on, not one per open card. A page of moments per group
 * commit; a moment decided meanwhile is read as it is then (a closed card reads no roster). Returns how many were queued.
 */
export async function refreshCardsForRoster(
  store: Store,
  before: Roster,
  after: Roster,
  clock: () => number,
  page = REFRESH_PAGE,
): Promise<number> {
  const ids = store.moments.openIds();
  let queued = 0;
  for (let start = 0; start < ids.length; start += page) {
    const ofPage = ids.slice(start, start + page);
    queued += await store.batched(() => {
      const now = clock();
      let changed = 0;
      for (const view of loadViews(store, ofPage).values()) {
        if (!cardChangesWithRoster(view, before, after)) continue;
        store.outbox.enqueue(view.moment.id, [{ kind: 'update_card' }], now);
        changed += 1;
      }
      return changed;
    });
  }
  return queued;
}
