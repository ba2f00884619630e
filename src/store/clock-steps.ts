import type Database from 'better-sqlite3';
import { STATS_DAYS } from '../core/stats';

/** How near in time, and in size, two processes' sightings of one clock step are (each looks once a second). */
const SAME_STEP_WITHIN_MS = 10_000;
const SAME_SIZE_WITHIN_MS = 2_000;

/**
 * The clock steps back whose deadlines were moved (see moveDeadlinesBack, migration 025): two Greenlight processes on one
 * database (an overlapping deploy) both see a step, and the second must not move the deadlines back again.
 */
export function clockStepsTable(db: Database.Database) {
  const near = db.prepare<[number, number, number, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM clock_steps WHERE at BETWEEN ? AND ? AND abs(step_ms - ?) <= ?',
  );
  // With the last decision recorded before it: what came before the step is told by order (see outcomesSince).
  const insert = db.prepare('INSERT INTO clock_steps (at, step_ms, last_decision) VALUES (?, ?, (SELECT MAX(id) FROM decisions))');
  // Kept as long as team stats look back, and a day more: a time spent revising across a step is counted with it (see
  // outcomesSince). A sighting is only ever compared with one seconds old.
  const prune = db.prepare('DELETE FROM clock_steps WHERE at < ?');
  return {
    /** Whether a step of about `stepMs`, seen at about `at`, was applied already (by another process). */
    appliedNear(at: number, stepMs: number): boolean {
      return (near.get(at - SAME_STEP_WITHIN_MS, at + SAME_STEP_WITHIN_MS, stepMs, SAME_SIZE_WITHIN_MS)?.n ?? 0) > 0;
    },
    record(at: number, stepMs: number): void {
      prune.run(at - (STATS_DAYS + 1) * 24 * 60 * 60_000);
      insert.run(at, stepMs);
    },
  };
}
