import type Database from 'better-sqlite3';
import type { Assignment, DecisionAction, DecisionRecord } from '../core/moment';

interface DecisionRow {
  user_id: string | null;
  role: string | null;
  action: DecisionAction;
  comment: string | null;
  revision: number;
  tier: number;
  at: number;
  held_roles: string | null;
}

export type ReviewsTable = ReturnType<typeof reviewsTable>;

/** Who reviews a moment (assignments) and what they decided (the append-only decision log). */
export function reviewsTable(db: Database.Database) {
  const insertAssignment = db.prepare('INSERT OR IGNORE INTO assignments (moment_id, tier, role, user_id) VALUES (?, ?, ?, ?)');
  const assignmentsOf = db.prepare<[number], { tier: number; role: string; user_id: string }>(
    'SELECT tier, role, user_id FROM assignments WHERE moment_id = ? ORDER BY tier, role, user_id',
  );
  const insertDecision = db.prepare(
    'INSERT INTO decisions (moment_id, user_id, role, action, comment, revision, tier, at, held_roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const decisionsOf = db.prepare<[number], DecisionRow>(
    'SELECT user_id, role, action, comment, revision, tier, at, held_roles FROM decisions WHERE moment_id = ? ORDER BY id',
  );
  // The same reads for many moments at once, ids passed as one JSON array (a sweep reads up to 500 moments).
  const assignmentsOfMany = db
    .prepare<[string], [momentId: number, tier: number, role: string, userId: string]>(
      `SELECT moment_id, tier, role, user_id FROM assignments
      WHERE moment_id IN (SELECT value FROM json_each(?)) ORDER BY moment_id, tier, role, user_id`,
    )
    .raw(true);
  const decisionsOfMany = db.prepare<[string], DecisionRow & { moment_id: number }>(
    `SELECT moment_id, user_id, role, action, comment, revision, tier, at, held_roles FROM decisions
    WHERE moment_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  );
  // Of many moments, only the seats of one person and of those who approved: what decides whether the moment waits on
  // that person (a big group's moment has hundreds of seats that do not).
  const seatsOfManyFor = db
    .prepare<[{ ids: string; userId: string }], [momentId: number, tier: number, role: string, userId: string]>(
      `SELECT a.moment_id, a.tier, a.role, a.user_id FROM assignments a
      WHERE a.user_id = @userId AND a.moment_id IN (SELECT value FROM json_each(@ids))
      UNION
      SELECT a.moment_id, a.tier, a.role, a.user_id
      FROM (SELECT DISTINCT moment_id, user_id FROM decisions
            WHERE moment_id IN (SELECT value FROM json_each(@ids)) AND action = 'approve' AND user_id IS NOT NULL) d
      JOIN assignments a ON a.user_id = d.user_id AND a.moment_id = d.moment_id
      ORDER BY 1, 2, 3, 4`,
    )
    .raw(true);
  const waitingFor = db.prepare<{ userId: string; limit: number; before: number }, { moment_id: number }>(`
    SELECT a.moment_id FROM assignments a JOIN moments m ON m.id = a.moment_id
    WHERE a.user_id = @userId AND a.open = 1 AND a.moment_id < @before AND m.status = 'pending' AND a.tier = m.tier
    GROUP BY a.moment_id ORDER BY a.moment_id DESC LIMIT @limit`);

  return {
    assign(momentId: number, assignments: readonly Assignment[]): void {
      for (const a of assignments) insertAssignment.run(momentId, a.tier, a.role, a.userId);
    },
    assignments(momentId: number): Assignment[] {
      return assignmentsOf.all(momentId).map((r) => ({ tier: r.tier, role: r.role, userId: r.user_id }));
    },
    appendDecision(momentId: number, d: DecisionRecord): void {
      const heldRoles = d.heldRoles === undefined ? null : JSON.stringify(d.heldRoles);
      insertDecision.run(momentId, d.userId ?? null, d.role ?? null, d.action, d.comment ?? null, d.revision, d.tier, d.at, heldRoles);
    },
    decisions(momentId: number): DecisionRecord[] {
      return decisionsOf.all(momentId).map(toDecision);
    },
    /** `assignments` for each of `ids` (an id with none is left out). */
    assignmentsOfMany(ids: readonly number[]): Map<number, Assignment[]> {
      const byMoment = new Map<number, Assignment[]>();
      for (const [momentId, tier, role, userId] of assignmentsOfMany.all(JSON.stringify(ids))) {
        pushTo(byMoment, momentId, { tier, role, userId });
      }
      return byMoment;
    },
    /** `assignments` for each of `ids`, narrowed to `userId`'s and those of whoever approved (see waitingOn). */
    seatsOfManyFor(ids: readonly number[], userId: string): Map<number, Assignment[]> {
      const byMoment = new Map<number, Assignment[]>();
      for (const [momentId, tier, role, user] of seatsOfManyFor.all({ ids: JSON.stringify(ids), userId })) pushTo(byMoment, momentId, { tier, role, userId: user });
      return byMoment;
    },
    /** `decisions` for each of `ids` (an id with none is left out). */
    decisionsOfMany(ids: readonly number[]): Map<number, DecisionRecord[]> {
      const byMoment = new Map<number, DecisionRecord[]>();
      for (const row of decisionsOfMany.all(JSON.stringify(ids))) pushTo(byMoment, row.moment_id, toDecision(row));
      return byMoment;
    },
    /** Open moments whose current tier lists this person, newest first; `before`: only older moment ids. */
    waitingFor(userId: string, limit: number, before = Number.MAX_SAFE_INTEGER): number[] {
      return waitingFor.all({ userId, limit, before }).map((r) => r.moment_id);
    },
  };
}

function toDecision(r: DecisionRow): DecisionRecord {
  return {
    userId: r.user_id ?? undefined,
    role: r.role ?? undefined,
    action: r.action,
    comment: r.comment ?? undefined,
    revision: r.revision,
    tier: r.tier,
    at: r.at,
    ...(r.held_roles === null ? {} : { heldRoles: heldRolesFrom(r.held_roles) }),
  };
}

/**
 * A stored JSON array of role names. Anything else (a row edited by hand) reads as none held: that approval fills no
 * seat, rather than every read of its moment failing.
 */
function heldRolesFrom(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [];
  }
}

function pushTo<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
