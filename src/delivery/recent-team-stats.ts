import { statsWindowStart, teamStats, type TeamStats } from '../core/stats';
import type { Store } from '../store/store';

/** How long the team stats App Home shows are reused. */
export const TEAM_STATS_MAX_AGE_MS = 60_000;

/**
 * The team stats of App Home (30 days of moments, the same reading as `/moment stats`; outcomesSince searches an index
 * on created_at, so only the window is read), read again only once a moment was flagged or decided since, or a minute
 * went by (the 30 days move on): a Home left open is published at each change of its moments, to the flagger and every
 * reviewer who has theirs open, and 30 days of a busy workspace (100,000 moments) take 200 ms to read. One read serves
 * every Home the same change publishes.
 */
export class RecentTeamStats {
  private last: { readonly at: number; readonly version: string; readonly stats: TeamStats } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly maxAgeMs = TEAM_STATS_MAX_AGE_MS,
  ) {}

  current(): TeamStats {
    const now = this.clock();
    const version = this.store.moments.outcomesVersion();
    const last = this.last;
    // A clock stepped back reads afresh, as a minute gone by does.
    if (last && last.version === version && now >= last.at && now - last.at < this.maxAgeMs) return last.stats;
    const stats = teamStats(this.store.moments.outcomesSince(statsWindowStart(now)));
    this.last = { at: now, version, stats };
    return stats;
  }
}
