import type { Command } from '../core/decide';
import type { FlagRequest } from '../core/flag';
import type { MomentContent, MomentView } from '../core/moment';
import type { Notice } from '../core/notice';
import type { Roster } from '../core/routing';
import type { MomentOutcomeRow } from '../core/stats';
import type { GroupDeparture } from '../store/group-departures';
import type { CardMessage, OpenMoments, Viewer } from '../store/moments';
import type { PendingReaction } from '../store/reaction-intake';
import type { Store } from '../store/store';
import { loadView, momentHoldingSource } from '../workflow/moment-view';
import { recordFlag, type FlagOutcome } from '../workflow/record-flag';
import { refreshCardsForRoster, rosterSinceShown } from '../workflow/refresh-cards';
import type { ReplyTo } from '../workflow/reply-to';
import { runCommand, type CommandOutcome } from '../workflow/run-command';
import { stepTimedOut } from '../workflow/sweep-deadlines';

/** Who is in each role when a moment is flagged (the directory's current snapshot). */
export type RoleMembers = ReadonlyMap<string, readonly string[]>;

const NO_ROLES: ReadonlySet<string> = new Set();

/** A flag reaction as it arrives, before it is stored for processing. */
export type NewReaction = Omit<PendingReaction, 'attempts'>;

/** What became of a flag reaction at intake: stored to process, handled already (a retry), or its message is a moment. */
export type ReactionTaken = { readonly kind: 'new' } | { readonly kind: 'handled' } | { readonly kind: 'flagged_already'; readonly momentId: number };

/**
 * Everything the Slack listeners ask of the store, as named operations: listeners never reach into
 * tables. Writes go through the group commit; what is read to be shown to someone is answered once it
 * is durable. Reads that only feed a write (a draft's text, pending reactions) answer at once.
 */
/**
 * How long a group departure is kept for the other processes: each re-reads its groups every five minutes, after which
 * Slack's answer says the same; a day is far longer than any running process goes without one.
 */
const DEPARTURES_KEPT_MS = 24 * 60 * 60_000;

export function backendOps(store: Store, clock: () => number, roster: () => Roster | undefined = () => undefined) {
  const shown = async <T>(value: T): Promise<T> => {
    await store.durable();
    return value;
  };
  // Roster catch-ups run one after another, so the roster saved last is the one the last of them brought messages to.
  let rosterWork: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = rosterWork.then(work, work);
    rosterWork = run.catch(() => undefined);
    return run;
  };
  return {
    /**
     * A new moment with its reviewers, deadlines and first notices, once per request key. `unreadRoles`: roles the
     * directory could not read from Slack yet, so a refusal blames Slack, not the routing file.
     */
    recordFlag(request: FlagRequest, members: RoleMembers, replyTo: ReplyTo, requestKey: string, unreadRoles = NO_ROLES): Promise<FlagOutcome> {
      return store.batched(() => recordFlag(store, request, (role) => members.get(role) ?? [], replyTo, requestKey, clock(), unreadRoles));
    },
    /**
     * A person's command on a moment: load -> decide -> store in one transaction (a deadline past due applied first).
     * `inHome`: pressed in their App Home, which they are looking at, so it is kept current with what the press did.
     */
    runCommand(momentId: number, command: Command, replyTo: ReplyTo, requestKey: string, inHome = false): Promise<CommandOutcome> {
      return store.batched(() => {
        const now = clock();
        if (inHome) store.homeViewers.opened(replyTo.userId, now);
        return runCommand(store, momentId, command, replyTo, requestKey, now, roster);
      });
    },
    /** Queues one answer to a person for a request, once however often the request is replayed. */
    answerOnce(momentId: number | undefined, requestKey: string, notice: Notice): Promise<void> {
      return store.batched(() => {
        const now = clock();
        if (store.seen.remember(requestKey, now)) store.outbox.enqueue(momentId, [notice], now);
      });
    },
    /** The moment as it is now, to be shown (the reject modal). */
    viewOf(momentId: number): Promise<MomentView | undefined> {
      return shown(loadView(store, momentId));
    },
    /** The moment as a form button finds it, and whether a press now would first close its step (see stepTimedOut). */
    pressedView(momentId: number): Promise<{ readonly view: MomentView; readonly timedOut: boolean } | undefined> {
      const view = loadView(store, momentId);
      return shown(view === undefined ? undefined : { view, timedOut: stepTimedOut(store, view, clock(), roster()) });
    },
    /** The newest `limit` open moments `viewer` may see and the count of them, read together. */
    openMomentsFor(viewer: Viewer, limit: number): Promise<OpenMoments> {
      return shown(store.moments.openFor(viewer, limit));
    },
    outcomesSince(from: number): Promise<MomentOutcomeRow[]> {
      return shown(store.moments.outcomesSince(from));
    },
    cardOf(momentId: number): Promise<CardMessage | undefined> {
      return shown(store.moments.card(momentId));
    },
    /** Why Slack refused the moment's card for good; undefined while it is posted or on its way. */
    cardRefusalOf(momentId: number): Promise<string | undefined> {
      return shown(store.moments.cardRefused(momentId));
    },
    /** Queues a fresh App Home for the person, who is looking at it: it is kept current for a while (see LIVE_HOME_MS). */
    publishHome(userId: string): Promise<void> {
      return store.batched(() => {
        const now = clock();
        store.homeViewers.opened(userId, now);
        store.outbox.queueHome(userId, now, true);
      });
    },
    /** The whole text of a long message whose form shows it shortened. */
    putDraft(key: string, text: string): Promise<void> {
      return store.batched(() => store.flagDrafts.put(key, text, clock()));
    },
    draftText(key: string): string | undefined {
      return store.flagDrafts.text(key);
    },
    /** A moment's content as stored now: what a revision's copy field showed, shortened when long. */
    contentOf(momentId: number): MomentContent | undefined {
      return store.moments.get(momentId)?.content;
    },
    /** The moment holding this message, if any (see momentHoldingSource): a message flagged already is not a new form. */
    momentForSource(channel: string, ts: string): Promise<number | undefined> {
      return shown(momentHoldingSource(store, channel, ts));
    },
    /**
     * Stores a flag reaction to process, unless the event was handled (or is waiting already) or its message is a
     * moment already, which the person is then told about (see answerOnce, keyed by the event).
     */
    takeReaction(reaction: NewReaction): Promise<ReactionTaken> {
      return store.batched((): ReactionTaken => {
        if (store.seen.has(reaction.eventKey)) return { kind: 'handled' };
        const momentId = momentHoldingSource(store, reaction.channel, reaction.ts);
        if (momentId !== undefined) return { kind: 'flagged_already', momentId };
        return store.reactionIntake.add(reaction) ? { kind: 'new' } : { kind: 'handled' };
      });
    },
    /** The reacted-to message could not be read: counted, and dropped when `giveUp` (a retry of the event is then seen). */
    reactionUnreadable(eventKey: string, giveUp: boolean): Promise<void> {
      return store.batched(() => {
        if (!giveUp) {
          store.reactionIntake.countAttempt(eventKey);
          return;
        }
        store.reactionIntake.remove(eventKey);
        store.seen.remember(eventKey, clock());
      });
    },
    /**
     * The reaction is handled; `answer`, if any, tells the person why nothing was flagged. The event is remembered, so a
     * Slack retry of it is not handled again, and the answer is queued only by whoever handled it first (the listener
     * and the resume timer can both hold it).
     */
    forgetReaction(eventKey: string, answer: Notice | undefined): Promise<void> {
      return store.batched(() => {
        const now = clock();
        const waiting = store.reactionIntake.remove(eventKey);
        store.seen.remember(eventKey, now);
        if (answer && waiting) store.outbox.enqueue(undefined, [answer], now);
      });
    },
    /**
     * Someone joined or left a role: queues an update of each open card and DM that reads differently now than under the
     * roster last saved (`before` when none was); how many moments.
     */
    refreshCards(before: Roster, after: Roster): Promise<number> {
      return inTurn(() => refreshCardsForRoster(store, before, after, clock));
    },
    /** At start: whether a change of roles made while Greenlight was down left the open messages behind. */
    rosterSinceShown(current: Roster): Promise<{ behind: boolean; gone: string[] }> {
      return inTurn(() => rosterSinceShown(store, current, clock));
    },
    /** Tells the other processes on the database that people left a user group (see GroupDepartures); a day-old one is forgotten. */
    recordGroupDeparture(usergroup: string, userIds: readonly string[], toldBy: string): Promise<void> {
      return store.batched(() => {
        const now = clock();
        store.groupDepartures.record(usergroup, userIds, toldBy, now);
        store.groupDepartures.forgetBefore(now - DEPARTURES_KEPT_MS);
      });
    },
    /** Departures after `id`; read at once, as a press needs them before it is decided. */
    groupDeparturesSince(id: number): GroupDeparture[] {
      return store.groupDepartures.since(id);
    },
    latestGroupDeparture(): number {
      return store.groupDepartures.latestId();
    },
    pendingReactions(limit: number): PendingReaction[] {
      return store.reactionIntake.pending(limit);
    },
  };
}

export type BackendOps = ReturnType<typeof backendOps>;

/** The store's operations as the Slack listeners use them, and the delivery worker's doorbell. */
export type Backend = BackendOps & {
  /** Tells the delivery worker that something was queued. */
  notify(): void;
};
