import type { MomentView } from '../core/moment';
import type { Store } from '../store/store';

/**
 * How long after someone opened their Home it is kept current as their moments change. Slack shows a published Home as
 * it was until the app publishes it again, and a desktop tab stays open for hours; past this, the next opening
 * publishes it anyway, and nobody's Home is rendered for a tab long closed.
 */
export const LIVE_HOME_MS = 60 * 60_000;

/** Everyone whose Home shows the moment: its flagger ("Flagged by you") and its reviewers of every tier ("Waiting for you"). */
export function homePeopleOf(view: MomentView): string[] {
  return [...new Set([view.moment.flaggerId, ...view.assignments.map((a) => a.userId)])];
}

/** Queues a fresh Home for those of `userIds` who opened theirs lately. Call inside the transaction that changed what it shows. */
export function refreshLiveHomes(store: Store, userIds: readonly string[], now: number): void {
  for (const userId of store.homeViewers.openedSince(userIds, now - LIVE_HOME_MS)) store.outbox.queueHome(userId, now);
}
