import type { MomentStatus } from './moment';

export interface MomentOutcomeRow {
  readonly topic: string;
  readonly status: MomentStatus;
  readonly createdAt: number;
  readonly closedAt: number | undefined;
  /** How long it waited on its flagger's revisions (from each request for changes to the revision answering it). */
  readonly revisingMs: number;
}

export interface TopicStats {
  readonly topic: string;
  readonly flagged: number;
  readonly decided: number;
  /** Still pending or waiting for a revision: "no decision yet" is news only while some are. */
  readonly open: number;
  /** Median time from flag to approve/reject, less the time spent revising; undefined when nothing was decided. */
  readonly medianDecisionMs: number | undefined;
}

export interface TeamStats {
  readonly byStatus: Readonly<Record<MomentStatus, number>>;
  readonly topics: readonly TopicStats[];
}

/** The window `/moment stats` and the App Home report on. */
export const STATS_DAYS = 30;

/** Where the stats window starts, for a reading at `now`. */
export function statsWindowStart(now: number): number {
  return now - STATS_DAYS * 24 * 60 * 60 * 1000;
}

/**
 * Counts by status and, per topic, the median time to a decision (approved or rejected): the time the moment was with
 * its reviewers, so the hours a flagger takes to rewrite their copy are not counted as the reviewers'. Pure.
 */
export function teamStats(rows: readonly MomentOutcomeRow[]): TeamStats {
  const byStatus: Record<MomentStatus, number> = { pending: 0, changes_requested: 0, approved: 0, rejected: 0, expired: 0, withdrawn: 0 };
  const perTopic = new Map<string, { flagged: number; open: number; durations: number[] }>();
  for (const row of rows) {
    byStatus[row.status] += 1;
    const entry = perTopic.get(row.topic) ?? { flagged: 0, open: 0, durations: [] };
    entry.flagged += 1;
    if (row.status === 'pending' || row.status === 'changes_requested') entry.open += 1;
    if ((row.status === 'approved' || row.status === 'rejected') && row.closedAt !== undefined) {
      // A wall clock set back between flag and decision would make it negative: it was decided at once, as far as is known.
      entry.durations.push(Math.max(0, row.closedAt - row.createdAt - row.revisingMs));
    }
    perTopic.set(row.topic, entry);
  }
  const topics = [...perTopic.entries()]
    .map(([topic, e]) => ({ topic, flagged: e.flagged, decided: e.durations.length, open: e.open, medianDecisionMs: median(e.durations) }))
    .sort((a, b) => b.flagged - a.flagged || a.topic.localeCompare(b.topic));
  return { byStatus, topics };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
