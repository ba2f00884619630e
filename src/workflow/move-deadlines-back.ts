import { noticesForMovedDue } from '../core/notices';
import type { Store } from '../store/store';
import { homePeopleOf, refreshLiveHomes } from './live-homes';
import { loadViews } from './moment-view';

/** Cards show a due time to the minute ('{date_short_pretty} at {time}', see dateToken). */
const SHOWN_TO_MS = 60_000;

export interface MovedBack {
  readonly deadlines: number;
  readonly moments: number;
  /** Moments whose card, DMs and request for changes were queued for an update: their due time, to the minute shown, changed. */
  readonly cards: number;
  /** Another process on the database saw the same step and moved them: nothing was moved again. */
  readonly movedAlready: boolean;
}

/**
 * The clock was set back `deltaMs` (NTP correcting a clock that ran ahead). Deadlines are durations since the flag, and
 * each open one, like the due time of each open moment, was counted from a time that ran ahead: all move back by the
 * step, in one transaction, so a 10-minute window ends 10 real minutes after the flag rather than the step later. What
 * shows a due time that changed (the card, the reviewers' DMs, the flagger's request for changes, the open Homes of its
 * people) is queued for an update with them: a DM that still said "Decide by" the old time would promise the step's
 * worth of time more. Not for a forward jump: a suspended machine looks like one, and that time really went by.
 */
export function moveDeadlinesBack(store: Store, deltaMs: number, now: number): MovedBack {
  return store.transaction(() => {
    // Another process on the database (an overlapping deploy) saw the same step and moved them already.
    if (store.clockSteps.appliedNear(now, deltaMs)) return { deadlines: 0, moments: 0, cards: 0, movedAlready: true };
    store.clockSteps.record(now, deltaMs);
    const deadlines = store.deadlines.moveBack(deltaMs);
    const moved = store.moments.moveBack(deltaMs, now);
    const shownChanged = moved.filter(({ dueAt }) => Math.floor(dueAt / SHOWN_TO_MS) !== Math.floor((dueAt + deltaMs) / SHOWN_TO_MS)).map(({ id }) => id);
    for (const view of loadViews(store, shownChanged).values()) {
      store.outbox.enqueue(view.moment.id, noticesForMovedDue(view), now);
      // An open Home shows the due time too (what waits on its viewer, their request for changes).
      refreshLiveHomes(store, homePeopleOf(view), now);
    }
    return { deadlines, moments: moved.length, cards: shownChanged.length, movedAlready: false };
  });
}
