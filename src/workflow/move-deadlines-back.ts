import { noticesForMovedDue } from '../core/notices';
import type { ScheduledMarks } from '../store/moments';
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
 * Part of a step back that undoes a jump forward this process saw (a clock set ahead by mistake, then set right):
 * what was flagged and scheduled before that jump was timed on a right clock, and keeps its time for this part.
 */
export interface UndoneJump extends ScheduledMarks {
  readonly ms: number;
}

/**
 * The clock was set back `deltaMs` (NTP correcting a clock that ran ahead). Deadlines are durations since the flag, and
 * each open one, like the due time of each open moment, was counted from a time that ran ahead: all move back by the
 * step, in one transaction, so a 10-minute window ends 10 real minutes after the flag rather than the step later. What
 * shows a due time that changed (the card, the reviewers' DMs, the flagger's request for changes, the open Homes of its
 * people) is queued for an update with them: a DM that still said "Decide by" the old time would promise the step's
 * worth of time more. Not for a forward jump: a suspended machine looks like one, and that time really went by. But a
 * step back that undoes jumps forward (`undone`, each with its part of the step) moves, for each part, only what was
 * timed after that jump: moving everything would cut the windows counted before it short by the jump.
 */
export function moveDeadlinesBack(store: Store, deltaMs: number, now: number, undone: readonly UndoneJump[] = []): MovedBack {
  return store.transaction(() => {
    // Another process on the database (an overlapping deploy) saw the same step and moved them already.
    if (store.clockSteps.appliedNear(now, deltaMs)) return { deadlines: 0, moments: 0, cards: 0, movedAlready: true };
    store.clockSteps.record(now, deltaMs);
    const parts = undone.filter((jump) => jump.ms > 0);
    const whole = Math.max(0, deltaMs - parts.reduce((sum, jump) => sum + jump.ms, 0));
    // Each moment moved, with its due time now and how far it moved.
    const moved = new Map<number, { dueAt: number; by: number }>();
    let deadlines = 0;
    if (whole > 0) {
      deadlines = store.deadlines.moveBack(whole);
      for (const { id, dueAt } of store.moments.moveBack(whole, now)) moved.set(id, { dueAt, by: whole });
    }
    for (const jump of parts) {
      const since = store.deadlines.moveBack(jump.ms, jump.deadlineId);
      if (whole === 0) deadlines = Math.max(deadlines, since);
      for (const { id, dueAt } of store.moments.moveBack(jump.ms, now, jump)) moved.set(id, { dueAt, by: (moved.get(id)?.by ?? 0) + jump.ms });
    }
    const shownChanged = [...moved].filter(([, { dueAt, by }]) => Math.floor(dueAt / SHOWN_TO_MS) !== Math.floor((dueAt + by) / SHOWN_TO_MS)).map(([id]) => id);
    for (const view of loadViews(store, shownChanged).values()) {
      store.outbox.enqueue(view.moment.id, noticesForMovedDue(view), now);
      // An open Home shows the due time too (what waits on its viewer, their request for changes).
      refreshLiveHomes(store, homePeopleOf(view), now);
    }
    return { deadlines, moments: moved.size, cards: shownChanged.length, movedAlready: false };
  });
}

/** The newest moment and deadline now: a jump forward remembers them, in case it is undone (see moveDeadlinesBack). */
export function scheduledMarks(store: Store): ScheduledMarks {
  return { momentId: store.moments.newestId(), deadlineId: store.deadlines.newestId() };
}
