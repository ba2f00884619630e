import { tierRoles } from '../core/moment';
import { nextDecidingTier } from '../core/policy';
import type { Roster } from '../core/routing';
import type { MomentSummary } from '../store/moments';
import type { Store } from '../store/store';
import { loadViews, rolesWaitingOn, waitingOn } from './moment-view';

/**
 * How many waiting moments the Home lists (each with its buttons, as far as its 100 blocks allow: see buildHome), and
 * how far it reads to count the rest (past that: "80+ more").
 */
const WAITING_LISTED = 20;
const WAITING_COUNTED = 100;
/** Flagged moments shown: every open one up to OPEN_FLAGGED (two blocks each, of the Home's 100), then closed ones up to FLAGGED. */
const FLAGGED = 10;
const OPEN_FLAGGED = 30;

/** What a person's App Home lists, with the counts of what it leaves out. */
export interface HomeContents {
  readonly waiting: readonly MomentSummary[];
  /** The roles each listed waiting moment asks them in (a phone shows no card beside the list). */
  readonly waitingAs: ReadonlyMap<number, readonly string[]>;
  /** Waiting moments not listed, counted up to WAITING_COUNTED; `waitingOrMore` when the count stopped there. */
  readonly waitingUnlisted: number;
  readonly waitingOrMore: boolean;
  /** Open first (each with what its flagger can do), then the newest closed ones. */
  readonly flagged: readonly MomentSummary[];
  /** Open moments of theirs not listed (0, or 1 for "some": read one past the limit only). */
  readonly openFlaggedUnlisted: number;
  /**
   * Of the listed moments waiting for a decision (theirs, and those waiting on them), those a later tier can take: the
   * roles Escalate would ping.
   */
  readonly escalateTo: ReadonlyMap<number, readonly string[]>;
}

/**
 * Reads what waits on `userId` and what they flagged. An open moment of theirs is never pushed out by newer closed ones:
 * it may be the only place they can withdraw or revise it from (its card in a channel they cannot open).
 */
export function homeContents(store: Store, userId: string, roles: ReadonlySet<string> | undefined, roster?: Roster): HomeContents {
  const waitingIds = waitingOn(store, userId, WAITING_COUNTED + 1, roles);
  const open = store.moments.openFlaggedBy(userId, OPEN_FLAGGED + 1);
  const openListed = open.slice(0, OPEN_FLAGGED);
  const closed = openListed.length < FLAGGED ? store.moments.closedFlaggedBy(userId, FLAGGED - openListed.length) : [];
  // Soonest due first: every moment of a topic has the same window, so newest first would leave out (or list last)
  // the ones about to escalate or expire. Among the WAITING_COUNTED newest, which is all of them but for the busiest.
  const waiting = store.moments.summaries(waitingIds.slice(0, WAITING_COUNTED)).sort(soonestDue).slice(0, WAITING_LISTED);
  const listed = waiting.map((m) => m.id);
  return {
    waiting,
    waitingAs: rolesWaitingOn(store, listed, userId, roles),
    waitingUnlisted: Math.max(0, Math.min(waitingIds.length, WAITING_COUNTED) - WAITING_LISTED),
    waitingOrMore: waitingIds.length > WAITING_COUNTED,
    flagged: [...openListed, ...closed],
    // Read no further than one past the limit: the Home says older ones are open, not how many.
    openFlaggedUnlisted: open.length - openListed.length,
    // A waiting moment offers Escalate as its review DM does, so both lists are read for it.
    escalateTo: escalations(store, [...openListed, ...waiting], roster),
  };
}

/** Due first; at the same time, urgent first, then the newest. */
function soonestDue(a: MomentSummary, b: MomentSummary): number {
  return a.dueAt - b.dueAt || Number(b.urgent === true) - Number(a.urgent === true) || b.id - a.id;
}

/**
 * Where Escalate would take each pending moment listed, by the rule the card and the review DM offer it by (a later
 * tier someone in it can decide): the flagger may escalate too, and Home may be the only place they can (the card in a
 * private channel).
 */
function escalations(store: Store, moments: readonly MomentSummary[], roster: Roster | undefined): Map<number, readonly string[]> {
  const to = new Map<number, readonly string[]>();
  // Read together: a Home lists up to 30 open moments of theirs and 20 waiting on them (a moment can be both).
  const pending = new Set(moments.filter((m) => m.status === 'pending').map((m) => m.id));
  for (const view of loadViews(store, [...pending]).values()) {
    const next = nextDecidingTier(view, roster);
    if (next !== undefined) to.set(view.moment.id, tierRoles(view.moment.plan, next));
  }
  return to;
}
