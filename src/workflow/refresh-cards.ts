import { randomUUID } from 'node:crypto';
import type { Notice } from '../core/notice';
import { noticesForShortRoles, remindersForReviewersBack } from '../core/notices';
import { cardChangesWithRoster, reviewDmsChangingWithRoster, rosterChangeConcerns } from '../core/policy';
import { changedRoles, knownWhereUnread, lastKnownRoster, sameRoster, withLastKnown, type Roster } from '../core/routing';
import type { RefreshUnderWay } from '../store/roster-shown';
import type { Store } from '../store/store';
import { refreshLiveHomes } from './live-homes';
import { viewsOf } from './moment-view';

/**
 * Open moments read per group commit: thousands open must not hold the requests waiting behind one long read, nor
 * 200 moments of a 300-person group (60,000 seats, 300 ms) one piece.
 */
export const REFRESH_PAGE = 50;

/**
 * Someone joined or left a role: the open cards that read differently now are queued for an update (an awaited
 * reviewer who left is no longer listed, Escalate appears or goes), and so are the reviewers' DMs that do (Escalate,
 * or the buttons of someone who left their role), and the open Homes of those reviewers and of the card's flagger.
 * Cards and DMs the change does not touch are left alone, so a group change costs one paced update per message it
 * shows on, not one per open moment. A flagger whose moment is left with too few people in a role to approve it is told
 * (noticesForShortRoles), and told again once it has them back; a reviewer back in their role is reminded (an edit of
 * their DM notifies nobody). A page of moments per group commit; a moment decided meanwhile is read as it is
 * then (a closed card reads no roster). Returns how many moments had updates queued.
 *
 * Every process on the database may read the same change (Slack tells one, the others read the group again): the
 * first to start the refresh saves the new roster as shown in the same transaction, and the others find nothing left
 * to do. A refresh stopped half-way (a crash, a busy database) is finished from the moment it stopped at by the next
 * one, in this process or another, before that one looks at its own change.
 */
export async function refreshCardsForRoster(
  store: Store,
  before: Roster,
  after: Roster,
  clock: () => number,
  page = REFRESH_PAGE,
): Promise<number> {
  const self = randomUUID();
  let queued = 0;
  for (;;) {
    const refresh = await store.batched(() => startOrTakeRefresh(store, before, after, self, clock()));
    if (refresh === undefined) return queued;
    const { count, finished } = await bringMessagesUpToDate(store, refresh, clock, page);
    queued += count;
    // Taken over meanwhile: whoever took it finishes it, and then looks at their own change as this one would.
    if (!finished) return queued;
    // Only a refresh left half-way was finished: this change is looked at next.
    if (!refresh.resumed) return queued;
  }
}

/** A refresh to run, with the open moments it has left to reach, in the order of their ids. */
interface Refresh extends RefreshUnderWay {
  readonly ids: readonly number[];
  /** Taken over from where it stopped, rather than started on this change. */
  readonly resumed: boolean;
}

/** The refresh to run: one left half-way, taken over from where it stopped, else this change's if the roster shown differs. */
function startOrTakeRefresh(store: Store, before: Roster, after: Roster, self: string, now: number): Refresh | undefined {
  // Up to the newest moment when the refresh started: one flagged since was drawn from the new roster already (its
  // reviewer back in a role was asked in it, not to be reminded of it).
  const toReach = (doneThrough: number, through: number) =>
    store.moments
      .openIds()
      .filter((id) => id > doneThrough && id <= through)
      .sort((a, b) => a - b);
  const underWay = store.rosterShown.refreshUnderWay();
  if (underWay) {
    store.rosterShown.takeRefresh(self);
    return { ...underWay, by: self, ids: toReach(underWay.doneThrough, underWay.through), resumed: true };
  }
  // From the roster last saved: a change is taken as shown only once a refresh has started on it. `before` only when
  // none was saved.
  const shown = store.rosterShown.read() ?? before;
  const next = withLastKnown(after, shown);
  if (sameRoster(shown, next)) return undefined;
  const through = store.moments.newestId();
  store.rosterShown.startRefresh(next, shown, after, through, self, now);
  return { from: shown, to: after, doneThrough: 0, through, by: self, ids: toReach(0, through), resumed: false };
}

/**
 * Queues the updates of the open moments after `doneThrough`, a page per group commit, each page marking how far it
 * got. Not finished when another refresh took this one over (the page it stopped before is theirs).
 */
async function bringMessagesUpToDate(store: Store, refresh: Refresh, clock: () => number, page: number): Promise<{ count: number; finished: boolean }> {
  const shown = refresh.from;
  const after = refresh.to;
  // A role Slack has not answered for since the start is not news that its members changed: nothing is re-rendered for
  // it (someone known to have left the role does not get buttons back). It is saved as unread all the same, since
  // whatever is rendered meanwhile trusts its assignments, and the read that settles it then updates what that shows.
  const target = knownWhereUnread(after, shown);
  // A message drawn before the role went unread shows its last known members instead (a restart whose first read of a
  // group failed): the read that settles it also updates what those show, reminds whoever came back to it meanwhile,
  // and tells the flagger as from them (no second warning for a role short all along).
  const known = lastKnownRoster(shown, target);
  // What the open messages may show: the roster saved, and (once an unread role is read again) its last known members.
  const shownAs = known === shown ? [shown] : [shown, known];
  // Only moments that name a changed role can read differently: one person joining a small group is not a reason to
  // work through every open moment of every big one.
  const changed = new Set(shownAs.flatMap((roster) => [...changedRoles(roster, target)]));
  const ids = changed.size === 0 ? [] : refresh.ids;
  let count = 0;
  for (let start = 0; start < ids.length; start += page) {
    const ofPage = ids.slice(start, start + page);
    const updated = await store.batched(() => {
      if (store.rosterShown.refreshOwner() !== refresh.by) return undefined;
      const now = clock();
      let updated = 0;
      // Whose Homes read differently: reviewers whose DMs change (the moment waits on them, or no longer), and the
      // flagger of a card that changes (their Home offers Escalate as the card does).
      const homes = new Set<string>();
      // The moments first: their reviewers and decisions are read only for those that name a changed role.
      const concerned = [...store.moments.getMany(ofPage).values()].filter((moment) => rosterChangeConcerns(moment, changed));
      for (const view of viewsOf(store, concerned).values()) {
        const card = shownAs.some((roster) => cardChangesWithRoster(view, roster, target));
        const changing = [...new Set(shownAs.flatMap((roster) => reviewDmsChangingWithRoster(view, roster, target)))];
        if (!card && changing.length === 0) continue;
        const dms = changing.map((userId): Notice => ({ kind: 'update_dm', userId }));
        const flagger = card ? noticesForShortRoles(view, known, target) : [];
        // After the updates in their lane: the DM has its buttons back when the reminder's ping is read.
        const reminders = changing.length > 0 ? remindersForReviewersBack(view, known, target) : [];
        store.outbox.enqueue(view.moment.id, [...(card ? [{ kind: 'update_card' } as const] : []), ...dms, ...reminders, ...flagger], now);
        for (const userId of changing) homes.add(userId);
        if (card) homes.add(view.moment.flaggerId);
        updated += 1;
      }
      refreshLiveHomes(store, [...homes], now);
      // In the same commit as what it queued: a refresh that stops after this page goes on from the next.
      store.rosterShown.advanceRefresh(ofPage[ofPage.length - 1] ?? refresh.doneThrough);
      return updated;
    });
    if (updated === undefined) return { count, finished: false };
    count += updated;
  }
  const finished = await store.batched(() => {
    if (store.rosterShown.refreshOwner() !== refresh.by) return false;
    store.rosterShown.endRefresh();
    return true;
  });
  return { count, finished };
}

/**
 * At start, once the directory has read Slack: the cards and DMs were last brought up to date with the roster saved
 * then, and a user group may have changed while Greenlight was down, when no listener heard it. `behind` when the
 * roster saved differs from `current`, or a refresh was stopped half-way (refreshCardsForRoster catches the messages
 * up, as for a change heard live, and saves it). A database that never saved one (new, or from before) starts from `current`. `gone`: roles of the roster
 * saved that the routing file no longer names (renamed or removed): open moments that need them are decided in them by
 * the people assigned at the flag.
 */
export async function rosterSinceShown(store: Store, current: Roster, clock: () => number): Promise<{ behind: boolean; gone: string[] }> {
  const { shown, underWay } = await store.batched(() => ({ shown: store.rosterShown.read(), underWay: store.rosterShown.refreshUnderWay() !== undefined }));
  if (shown === undefined) {
    await store.batched(() => store.rosterShown.save(withLastKnown(current, undefined), clock()));
    return { behind: false, gone: [] };
  }
  // An unread role saved with no members known is a role all the same.
  const roles = new Set([...shown.members.keys(), ...shown.unread]);
  // A refresh stopped half-way (Greenlight stopped during it) is behind too: the next one finishes it.
  return { behind: underWay || !sameRoster(shown, withLastKnown(current, shown)), gone: [...roles].filter((role) => !current.members.has(role) && !current.unread.has(role)).sort() };
}
