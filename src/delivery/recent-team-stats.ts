import { statsWindowStart, teamStats, type TeamStats } from '../core/stats';
import type { Store } from '../store/store';

/** How long the team stats App Home shows are reused. */
export const TEAM_STATS_MAX_AGE_MS = 60_000;

/**
 * The team stats of App Home (30 days of moments, the same reading as `/moment stats`), read at most once a minute: a
 * Home left open is published again at each change of its moments, and 30 days of a busy workspace (100,000 moments)
 * take 200 ms to read, for numbers a minute cannot move much.
 */
export class RecentTeamStats {
  private last: { readonly at: number; readonly stats: TeamStats } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly maxAgeMs = TEAM_STATS_MAX_AGE_MS,
  ) {}

  current(): TeamStats {
    const now = this.clock();
    // A clock stepped back reads afresh, as a minute gone by does.
    if (this.last && now >= this.last.at && now - this.last.at < this.maxAgeMs) return this.last.stats;
    const stats = teamStats(this.store.moments.outcomesSince(statsWindowStart(now)));
    this.last = { at: now, stats };
    return stats;
  }
}
