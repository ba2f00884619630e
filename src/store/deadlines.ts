import type Database from 'better-sqlite3';
import type { DeadlineKind, DeadlineSpec } from '../core/deadlines';

export interface DueDeadline extends DeadlineSpec {
  readonly id: number;
  readonly momentId: number;
}

export type DeadlinesTable = ReturnType<typeof deadlinesTable>;

export function deadlinesTable(db: Database.Database) {
  const insert = db.prepare('INSERT INTO deadlines (moment_id, kind, tier, revision, due_at) VALUES (?, ?, ?, ?, ?)');
  // Reads only the partial index of open deadlines, oldest first.
  const due = db.prepare<[number, number], { id: number; moment_id: number; kind: DeadlineKind; tier: number; revision: number; due_at: number }>(
    'SELECT id, moment_id, kind, tier, revision, due_at FROM deadlines WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?',
  );
  // Reads the partial index of a moment's open deadlines (a handful).
  const dueFor = db.prepare<[number, number], { id: number; moment_id: number; kind: DeadlineKind; tier: number; revision: number; due_at: number }>(
    'SELECT id, moment_id, kind, tier, revision, due_at FROM deadlines WHERE moment_id = ? AND done_at IS NULL AND due_at <= ? ORDER BY due_at, id',
  );
  const markDone = db.prepare('UPDATE deadlines SET done_at = ? WHERE id = ? AND done_at IS NULL');
  const cancelOpen = db.prepare('UPDATE deadlines SET done_at = ? WHERE moment_id = ? AND done_at IS NULL');
  const postpone = db.prepare('UPDATE deadlines SET due_at = ? WHERE id = ? AND done_at IS NULL');
  const moveBack = db.prepare('UPDATE deadlines SET due_at = due_at - ? WHERE done_at IS NULL AND id > ?');
  const newest = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM deadlines');
  const openOf = db.prepare<[number], { kind: DeadlineKind; tier: number; revision: number; due_at: number }>(
    'SELECT kind, tier, revision, due_at FROM deadlines WHERE moment_id = ? AND done_at IS NULL ORDER BY due_at',
  );

  return {
    schedule(momentId: number, specs: readonly DeadlineSpec[]): void {
      for (const s of specs) insert.run(momentId, s.kind, s.tier, s.revision, s.dueAt);
    },
    due(now: number, limit: number): DueDeadline[] {
      return due.all(now, limit).map((r) => ({ id: r.id, momentId: r.moment_id, kind: r.kind, tier: r.tier, revision: r.revision, dueAt: r.due_at }));
    },
    /** One moment's deadlines due at `now`, oldest first. */
    dueFor(momentId: number, now: number): DueDeadline[] {
      return dueFor.all(momentId, now).map((r) => ({ id: r.id, momentId: r.moment_id, kind: r.kind, tier: r.tier, revision: r.revision, dueAt: r.due_at }));
    },
    /** Claims a due deadline; false when another sweep (or process) already did. */
    claim(id: number, now: number): boolean {
      return markDone.run(now, id).changes === 1;
    },
    /** Moves an open deadline to `dueAt` (one that could not be applied is tried again later, behind those due meanwhile). */
    postpone(id: number, dueAt: number): void {
      postpone.run(dueAt, id);
    },
    /**
     * After the clock was set back `deltaMs`: every open deadline was timed on the clock before the step (a duration
     * since the flag, counted from a time that ran ahead) and moves back as far; with `after`, only those scheduled after
     * that one (see moveDeadlinesBack). Returns how many.
     */
    moveBack(deltaMs: number, after = 0): number {
      return moveBack.run(deltaMs, after).changes;
    },
    /** The id of the newest deadline scheduled so far (0 for none): a mark of what was scheduled before now. */
    newestId(): number {
      return newest.get()?.id ?? 0;
    },
    cancelOpen(momentId: number, now: number): void {
      cancelOpen.run(now, momentId);
    },
    openFor(momentId: number): DeadlineSpec[] {
      return openOf.all(momentId).map((r) => ({ kind: r.kind, tier: r.tier, revision: r.revision, dueAt: r.due_at }));
    },
  };
}
