import type { Notice } from '../core/notices';
import type { Store } from '../store/store';

/** Cards show a due time to the minute ('{date_short_pretty} at {time}', see dateToken). */
const SHOWN_TO_MS = 60_000;

const UPDATE_CARD: readonly Notice[] = [{ kind: 'update_card' }];

export interface MovedBack {
  readonly deadlines: number;
  readonly moments: number;
  /** Cards queued for an update: those whose due time, to the minute they show it, changed. */
  readonly cards: number;
}

/**
 * The clock was set back `deltaMs` (NTP correcting a clock that ran ahead). Deadlines are durations since the flag, and
 * each open one, like the due time of each open moment, was counted from a time that ran ahead: all move back by the
 * step, in one transaction, so a 10-minute window ends 10 real minutes after the flag rather than the step later. Each
 * card whose shown due time changed is queued for an update with them. Not for a forward jump: a suspended machine
 * looks like one, and that time really went by.
 */
export function moveDeadlinesBack(store: Store, deltaMs: number, now: number): MovedBack {
  return store.transaction(() => {
    const deadlines = store.deadlines.moveBack(deltaMs);
    const moved = store.moments.moveBack(deltaMs, now);
    let cards = 0;
    for (const { id, dueAt } of moved) {
      if (Math.floor(dueAt / SHOWN_TO_MS) === Math.floor((dueAt + deltaMs) / SHOWN_TO_MS)) continue;
      store.outbox.enqueue(id, UPDATE_CARD, now);
      cards += 1;
    }
    return { deadlines, moments: moved.length, cards };
  });
}
