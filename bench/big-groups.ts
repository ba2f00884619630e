/**
 * Big groups: what a role of hundreds of people costs on the event loop, timed in process (no HTTP, no Slack). Every
 * piece here runs synchronously, so each is the longest a request arriving meanwhile waits. Three uses:
 * - a user group changes while 200 moments of a 300-person group are open: the longest piece of the refresh (a page
 *   of moments, one group commit), when a member leaves that group and when an unrelated 5-person group gains one;
 * - a member of the 300-person group opens App Home, with 500 moments assigned to them that another member approved
 *   (they wait on legal): what the delivery worker renders for it;
 * - the 200 open moments' reminders fall due at once (after downtime, say), each for 300 people: the longest sweep,
 *   and how many sweeps it takes.
 */
import { flagMoment } from '../src/core/flag';
import type { Roster } from '../src/core/routing';
import { STATS_DAYS, statsWindowStart, teamStats } from '../src/core/stats';
import type { Topic } from '../src/core/routing-types';
import { openDatabase } from '../src/store/open-database';
import { storeOver, type Store } from '../src/store/store';
import { homeContents } from '../src/workflow/home-contents';
import { refreshCardsForRoster } from '../src/workflow/refresh-cards';
import { sweepDeadlines } from '../src/workflow/sweep-deadlines';
import { buildHome } from '../src/slack/blocks/home';

export interface BigGroupResults {
  readonly groupSize: number;
  readonly openMoments: number;
  /** Longest synchronous piece of a roster refresh, ms: a member of the big group leaves / a small unrelated group grows. */
  readonly refreshLeaveMs: number;
  readonly refreshUnrelatedMs: number;
  readonly homeMs: number;
  readonly sweepLongestMs: number;
  readonly sweeps: number;
}

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const GROUP = 300;
const OPEN = 200;
const HOME_CANDIDATES = 500;
const VIEWER = 'U0BRVIEWER';

const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `U0${prefix}${String(i).padStart(5, '0')}`);

function topic(require: Record<string, number>): Topic {
  return { name: 'default', keywords: [], channel: 'C0BENCHREVIEW', require, decideWithinMs: 30 * MINUTE, remindAtFraction: 0.5, escalateTo: ['leads'], selfApproval: false };
}

function rosterOf(members: Record<string, readonly string[]>): Roster {
  return { members: new Map(Object.entries(members)), unread: new Set() };
}

/** Stores `count` moments of `t`, each assigned from `members`; `approvedBy`: someone who approved each for brand. */
function seed(store: Store, t: Topic, members: Record<string, readonly string[]>, count: number, approvedBy?: string): void {
  store.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const flagged = flagMoment({ flaggerId: `U0FLAG${i % 50}`, content: { title: `Moment ${i}`, copy: 'Copy', link: undefined, urgency: 'normal' }, topic: t, source: undefined }, (role) => members[role] ?? [], T0 + i);
      if (!flagged.ok) throw new Error(flagged.message);
      const { id } = store.moments.insert(flagged.flagged.moment);
      store.reviews.assign(id, flagged.flagged.assignments);
      store.deadlines.schedule(id, flagged.flagged.deadlines);
      if (approvedBy) store.reviews.appendDecision(id, { userId: approvedBy, role: 'brand', action: 'approve', comment: undefined, revision: 1, tier: 0, at: T0 + i, heldRoles: ['brand'] });
    }
  });
}

function newStore(): Store {
  return storeOver(openDatabase(':memory:', { synchronous: 'NORMAL' }));
}

/** Each group commit of the refresh timed: one synchronous piece each. */
async function longestRefreshPiece(store: Store, before: Roster, after: Roster): Promise<number> {
  await store.batched(() => store.rosterShown.save(before, T0));
  const batched = store.batched.bind(store);
  let longest = 0;
  const timed: Store = Object.assign(Object.create(store) as Store, {
    batched: <T>(work: () => T) =>
      batched(() => {
        const started = performance.now();
        try {
          return work();
        } finally {
          longest = Math.max(longest, performance.now() - started);
        }
      }),
  });
  await refreshCardsForRoster(timed, before, after, () => T0);
  return longest;
}

export async function measureBigGroups(): Promise<BigGroupResults> {
  const brand = [VIEWER, ...people('BR', GROUP - 1)];
  const members = { brand, legal: people('LG', 5), leads: ['U0LEAD'] };

  const refreshStore = newStore();
  seed(refreshStore, topic({ brand: 2 }), members, OPEN);
  const before = rosterOf(members);
  const refreshLeaveMs = await longestRefreshPiece(refreshStore, before, rosterOf({ ...members, brand: brand.slice(1) }));
  const unrelatedStore = newStore();
  seed(unrelatedStore, topic({ brand: 2 }), members, OPEN);
  const refreshUnrelatedMs = await longestRefreshPiece(unrelatedStore, before, rosterOf({ ...members, legal: [...members.legal, 'U0NEWLEGAL'] }));

  const homeStore = newStore();
  seed(homeStore, topic({ brand: 1, legal: 1 }), members, HOME_CANDIDATES, brand[1]);
  const started = performance.now();
  // As delivery renders it: the team's stats (outcomesSince, as `/moment stats` reads them), the viewer's moments, the view.
  const team = { stats: teamStats(homeStore.moments.outcomesSince(statsWindowStart(T0 + HOME_CANDIDATES))), days: STATS_DAYS };
  buildHome(homeContents(homeStore, VIEWER, new Set(['brand']), before), team);
  const homeMs = performance.now() - started;

  // The 200 open moments' reminders, due at once (each reminds 300 people): sweep as the scanner does until none is left.
  let sweepLongestMs = 0;
  let sweeps = 0;
  for (let more = true; more && sweeps < 1000; sweeps += 1) {
    const begun = performance.now();
    more = sweepDeadlines(unrelatedStore, T0 + 16 * MINUTE, before).more;
    sweepLongestMs = Math.max(sweepLongestMs, performance.now() - begun);
  }
  return { groupSize: GROUP, openMoments: OPEN, refreshLeaveMs, refreshUnrelatedMs, homeMs, sweepLongestMs, sweeps };
}

if (require.main === module) {
  void measureBigGroups().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
