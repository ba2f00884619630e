import type Database from 'better-sqlite3';
import type { Moment, MomentContent, MomentStatus } from '../core/moment';
import type { MomentOutcomeRow } from '../core/stats';
import {
  changedGroups,
  MOMENT_COLUMNS,
  parseStatus,
  savedAssignments,
  savedValuesOf,
  toMoment,
  type MomentRow,
  type SavedGroup,
} from './moment-rows';
import { newStamp } from './stamp';

export interface CardMessage {
  readonly channel: string;
  readonly ts: string;
  readonly permalink: string | undefined;
}

export interface PacingFacts {
  readonly reviewChannel: string;
  readonly flaggerId: string;
  readonly sourceChannel: string | undefined;
}

export interface MomentSummary {
  readonly id: number;
  /** What a button on the summary acts on (a revise form opened on an older one is refused). */
  readonly revision: number;
  readonly title: string;
  readonly topic: string;
  readonly status: MomentStatus;
  /** 0 at the first tier; more once escalated. */
  readonly tier: number;
  readonly dueAt: number;
  /** Flagged urgent: a list marks it, as the card and the review DM do. */
  readonly urgent?: true;
  /** The moment's stamp, which its buttons carry (see Moment). */
  readonly stamp?: string;
  readonly card: CardMessage | undefined;
}

/** The newest moment and deadline at some time: what was flagged or scheduled after it has a greater id. */
export interface ScheduledMarks {
  readonly momentId: number;
  readonly deadlineId: number;
}

/** An open moment whose due time moved (see moveBack), and that time. */
export interface MovedDue {
  readonly id: number;
  readonly dueAt: number;
}

/** The newest open moments, and how many are open in all (the list shows a page of them). */
export interface OpenMoments {
  readonly newest: readonly MomentSummary[];
  readonly total: number;
}

/**
 * Who asks to see open moments, from which channel (one they are in: Slack runs commands only there), and the roles
 * the directory gives them now.
 */
export interface Viewer {
  readonly userId: string;
  readonly channel: string;
  readonly roles: Iterable<string>;
  /**
   * The roles the routing file names now: a seat in any other (a role renamed or removed since the flag) is held by
   * whoever was assigned it, as HeldRoles says. Unset: only `roles` count.
   */
  readonly knownRoles?: Iterable<string>;
}

export type MomentsTable = ReturnType<typeof momentsTable>;

export function momentsTable(db: Database.Database) {
  const insert = db.prepare(`
    INSERT INTO moments (topic, review_channel, flagger_id, source_channel, source_ts, source_thread_ts, source_permalink, source_edited, source_words, source_files, title, copy, link,
      urgency, plan, status, tier, revision, created_at, due_at, updated_at, version, stamp)
    VALUES (@topic, @reviewChannel, @flaggerId, @sourceChannel, @sourceTs, @sourceThreadTs, @sourcePermalink, @sourceEdited, @sourceWords, @sourceFiles, @title, @copy, @link, @urgency, @plan,
      'pending', @tier, @revision, @createdAt, @dueAt, @createdAt, 0, @stamp)`);
  const byId = db.prepare<[number], MomentRow>(`SELECT ${MOMENT_COLUMNS} FROM moments WHERE id = ?`).raw(true);
  // Ids passed as one JSON array: one statement however many (a sweep reads up to 500 moments).
  const byIds = db
    .prepare<[string], MomentRow>(`SELECT ${MOMENT_COLUMNS} FROM moments WHERE id IN (SELECT value FROM json_each(?))`)
    .raw(true);
  // A withdrawn or expired moment is left out (migration 022; momentHoldingSource still holds one that expired after a
  // request for changes, through lastExpiredForSource); the condition matches the index's, so it is used.
  const bySource = db.prepare<[string, string], { id: number }>(
    "SELECT id FROM moments WHERE source_channel = ? AND source_ts = ? AND source_ts IS NOT NULL AND status NOT IN ('withdrawn', 'expired')",
  );
  const expiredBySource = db.prepare<[string, string], { id: number }>(EXPIRED_BY_SOURCE_SQL);
  // One statement per set of changed column groups, prepared on first use (at most eight).
  const saves = new Map<string, Database.Statement>();
  const saveStatement = (groups: readonly SavedGroup[]): Database.Statement => {
    const key = groups.join(',');
    let statement = saves.get(key);
    if (!statement) {
      // Compare-and-set: the write lands only on the version that was read.
      statement = db.prepare(`UPDATE moments SET ${savedAssignments(groups)}updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`);
      saves.set(key, statement);
    }
    return statement;
  };
  const setCard = db.prepare('UPDATE moments SET card_channel = ?, card_ts = ? WHERE id = ?');
  const setPermalink = db.prepare('UPDATE moments SET card_permalink = ? WHERE id = ?');
  const setCardRefused = db.prepare('UPDATE moments SET card_refused = ? WHERE id = ?');
  const cardRefused = db.prepare<[number], { card_refused: string | null }>('SELECT card_refused FROM moments WHERE id = ?');
  const card = db.prepare<[number], { card_channel: string | null; card_ts: string | null; card_permalink: string | null }>(
    'SELECT card_channel, card_ts, card_permalink FROM moments WHERE id = ?',
  );
  type VisibleTo = { userId: string; channel: string; roles: string; known: string | null };
  const openFor = db.prepare<[VisibleTo & { limit: number }], SummaryRow & { total: number }>(VISIBLE_OPEN_SQL.newest);
  // Both read a flagger's moments, never the whole table: the open ones through moments_open_by_flagger (open moments
  // alone, all of them, to put the revisions asked first), the closed ones through moments_closed_by_flagger (closed
  // alone, in id order), where the newest few are found first.
  const openByFlagger = db.prepare<[string, number], SummaryRow>(
    // A revision asked of the flagger first: it is theirs to do, and the moment expires without it.
    `SELECT ${SUMMARY_COLUMNS} FROM moments WHERE flagger_id = ? AND ${OPEN} ORDER BY status = 'changes_requested' DESC, created_at DESC LIMIT ?`,
  );
  // Through moments_open_by_flagger_title: only the person's open moments of that title are read (migration 021).
  const openRepeat = db.prepare<[string, string, string, string, string | null], { id: number }>(
    `SELECT id FROM moments WHERE flagger_id = ? AND ${OPEN} AND source_channel IS NULL AND topic = ? AND title = ? AND copy = ? AND link IS ? LIMIT 1`,
  );
  const closedByFlagger = db.prepare<[string, number], SummaryRow>(
    // By id: the order they were flagged in, whatever the clock did (closed moments keep the flag times they had).
    `SELECT ${SUMMARY_COLUMNS} FROM moments WHERE flagger_id = ? AND NOT (${OPEN}) ORDER BY id DESC LIMIT ?`,
  );
  // Searches moments_created (migration 007): only the rows in the window are read, not the whole history.
  const lastIds = db.prepare<[], { moment: number | null; decision: number | null }>(
    'SELECT (SELECT MAX(id) FROM moments) AS moment, (SELECT MAX(id) FROM decisions) AS decision',
  );
  // With the time each moment waited on its flagger's revisions: from a request for changes to the revision answering it.
  // A clock set back between the two (clock_steps) moved the moment's flag time, but no decision's (the log is never
  // written over): the request's time is on the clock before the step, and the step is added back to the span. Which
  // decisions came before a step is told by their ids: a step back makes times ambiguous for as long as the step.
  // Only a revised moment (revision past the first, which every flag starts at) has revisions to look for: the others,
  // nine in ten, skip the decision log. Read as arrays (raw): a 30-day window holds thousands of rows.
  const since = db
    .prepare<[number], [topic: string, status: string, createdAt: number, closedAt: number | null, revisingMs: number]>(
      `SELECT topic, status, created_at, closed_at,
       CASE WHEN revision > 1 THEN
       (SELECT COALESCE(SUM(r.at - q.at
                 + (SELECT COALESCE(SUM(s.step_ms), 0) FROM clock_steps s WHERE s.last_decision >= q.id AND s.last_decision < r.id)), 0)
          FROM decisions r
          JOIN decisions q ON q.id = (SELECT MAX(a.id) FROM decisions a WHERE a.moment_id = r.moment_id AND a.action = 'request_changes' AND a.revision = r.revision - 1)
         WHERE r.moment_id = moments.id AND r.action = 'revise') ELSE 0 END AS revising_ms
     FROM moments WHERE created_at >= ?`,
    )
    .raw(true);
  const pacing = db.prepare<[number], { review_channel: string; flagger_id: string; source_channel: string | null }>(
    'SELECT review_channel, flagger_id, source_channel FROM moments WHERE id = ?',
  );
  const summaryById = db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM moments WHERE id = ?`);
  const openIds = db.prepare<[], { id: number }>(OPEN_IDS_SQL);
  // A write like any save's (a new version): whoever read the moment before it reads it again before writing over it.
  // The flag time moves too: what is counted from it (time to a decision, newest first) is counted in real time.
  // With marks (see moveDeadlinesBack): moments flagged after `momentAfter` move whole; an older one's due time moves
  // when a deadline of its window now was scheduled after `deadlineAfter` (an escalation, a revision), its flag time stays.
  const moveBack = db.prepare<{ delta: number; now: number; momentAfter: number; deadlineAfter: number }, MovedDue>(
    `UPDATE moments SET due_at = due_at - @delta, created_at = CASE WHEN id > @momentAfter THEN created_at - @delta ELSE created_at END,
       updated_at = @now, version = version + 1
     WHERE ${OPEN} AND (id > @momentAfter OR EXISTS (
       SELECT 1 FROM deadlines d WHERE d.moment_id = moments.id AND d.done_at IS NULL AND d.id > @deadlineAfter))
     RETURNING id, due_at AS dueAt`,
  );
  const newest = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM moments');

  return {
    /**
     * Stores a new moment and returns it as stored: with its id and stamp, at version 0, so nobody reads it back to learn
     * them.
     */
    insert(moment: Omit<Moment, 'id' | 'version' | 'stamp'>): Moment {
      // The row is written pending; a moment in any other state would not be returned as stored.
      if (moment.state.status !== 'pending') throw new Error(`a new moment starts pending, not ${moment.state.status}`);
      const stamp = newStamp();
      const result = insert.run({
        stamp,
        topic: moment.topic,
        reviewChannel: moment.reviewChannel,
        flaggerId: moment.flaggerId,
        sourceChannel: moment.source?.channel ?? null,
        sourceTs: moment.source?.ts ?? null,
        sourceThreadTs: moment.source?.threadTs ?? null,
        sourcePermalink: moment.source?.permalink ?? null,
        sourceEdited: moment.source?.edited === true ? 1 : 0,
        sourceWords: moment.source?.wordsSeen ?? null,
        sourceFiles: moment.source?.files?.length ? JSON.stringify(moment.source.files) : null,
        title: moment.content.title,
        copy: moment.content.copy,
        link: moment.content.link ?? null,
        urgency: moment.content.urgency,
        plan: JSON.stringify(moment.plan),
        tier: moment.tier,
        revision: moment.revision,
        createdAt: moment.createdAt,
        dueAt: moment.dueAt,
      });
      return { ...moment, id: Number(result.lastInsertRowid), version: 0, stamp };
    },
    get(id: number): Moment | undefined {
      const row = byId.get(id);
      return row ? toMoment(row) : undefined;
    },
    /** The moments among `ids` that exist, by id. */
    getMany(ids: readonly number[]): Map<number, Moment> {
      return new Map(byIds.all(JSON.stringify(ids)).map((row) => [row[0], toMoment(row)]));
    },
    /** The moment flagged from this message, unless it was withdrawn or expired. */
    idForSource(channel: string, ts: string): number | undefined {
      return bySource.get(channel, ts)?.id;
    },
    /** The last moment flagged from this message that expired, if any. */
    lastExpiredForSource(channel: string, ts: string): number | undefined {
      return expiredBySource.get(channel, ts)?.id;
    },
    /**
     * Stores `moment` over the version it was read at; false when someone else wrote first. Given `read` (the moment
     * as it was read), only the column groups that differ from it are written: writing the status again, even
     * unchanged, rewrites its moments_open_by_channel entry (measured 12 µs against 4 µs for an escalation's save).
     */
    save(moment: Moment, now: number, read?: Moment): boolean {
      // Unwritten groups are taken to be as read: only true of the very version being written over.
      if (read && (read.id !== moment.id || read.version !== moment.version)) {
        throw new Error(`moment ${moment.id} v${moment.version} saved against moment ${read.id} v${read.version} as read`);
      }
      const groups = changedGroups(moment, read);
      return saveStatement(groups).run(...savedValuesOf(moment, groups), now, moment.id, moment.version).changes === 1;
    },
    setCard(id: number, channel: string, ts: string): void {
      setCard.run(channel, ts, id);
    },
    setPermalink(id: number, permalink: string): void {
      setPermalink.run(permalink, id);
    },
    /** Slack refused the card for good, with this error: said to the flagger in words that fit it. */
    setCardRefused(id: number, error: string): void {
      setCardRefused.run(error, id);
    },
    cardRefused(id: number): string | undefined {
      return cardRefused.get(id)?.card_refused ?? undefined;
    },
    card(id: number): CardMessage | undefined {
      const row = card.get(id);
      if (!row || row.card_channel === null || row.card_ts === null) return undefined;
      return { channel: row.card_channel, ts: row.card_ts, permalink: row.card_permalink ?? undefined };
    },
    /** The newest open moments `viewer` may see (see VISIBLE_OPEN), and how many there are. */
    openFor(viewer: Viewer, limit: number): OpenMoments {
      const known = viewer.knownRoles === undefined ? null : JSON.stringify([...viewer.knownRoles]);
      const visibleTo = { userId: viewer.userId, channel: viewer.channel, roles: JSON.stringify([...viewer.roles]), known };
      const rows = openFor.all({ ...visibleTo, limit });
      return { newest: rows.map(toSummary), total: rows[0]?.total ?? 0 };
    },
    /**
     * After the clock was set back `deltaMs`: every open moment's due time and flag time move back as far (see
     * deadlines.moveBack); with `after`, only what was timed after those marks. Returns each one moved, with its due
     * time now.
     */
    moveBack(deltaMs: number, now: number, after: ScheduledMarks = { momentId: 0, deadlineId: 0 }): MovedDue[] {
      return moveBack.all({ delta: deltaMs, now, momentAfter: after.momentId, deadlineAfter: after.deadlineId });
    },
    /** The id of the newest moment so far (0 for none). */
    newestId(): number {
      return newest.get()?.id ?? 0;
    },
    /** Every open moment's id, in no particular order: what a change of reviewers may show on. */
    openIds(): number[] {
      return openIds.all().map((r) => r.id);
    },
    /** The person's open moments, those waiting on their revision first, then newest first: each is something they can still act on (Withdraw, Revise…). */
    openFlaggedBy(userId: string, limit: number): MomentSummary[] {
      return openByFlagger.all(userId, limit).map(toSummary);
    },
    /**
     * The person's open moment flagged from no message with these very words for this topic, if any: flagging them again
     * would be the same moment twice (see recordFlag).
     */
    openRepeatOf(flaggerId: string, topic: string, content: MomentContent): number | undefined {
      return openRepeat.get(flaggerId, topic, content.title, content.copy, content.link ?? null)?.id;
    },
    /** The person's closed moments, newest first. */
    closedFlaggedBy(userId: string, limit: number): MomentSummary[] {
      return closedByFlagger.all(userId, limit).map(toSummary);
    },
    /** The channels a moment's notices go to, for delivery pacing. */
    pacingFacts(id: number): PacingFacts | undefined {
      const row = pacing.get(id);
      return row ? { reviewChannel: row.review_channel, flaggerId: row.flagger_id, sourceChannel: row.source_channel ?? undefined } : undefined;
    },
    /**
     * Changes whenever a moment is flagged or its outcome changes (every change of status adds a decision), read from the
     * two tables' last ids alone: whether team stats read a while ago are still right.
     */
    outcomesVersion(): string {
      const row = lastIds.get();
      return `${row?.moment ?? 0}:${row?.decision ?? 0}`;
    },
    /** Outcomes of the moments flagged since `from`, for team stats. */
    outcomesSince(from: number): MomentOutcomeRow[] {
      return since
        .all(from)
        .map(([topic, status, createdAt, closedAt, revisingMs]) => ({ topic, status: parseStatus(status), createdAt, closedAt: closedAt ?? undefined, revisingMs: Math.max(0, revisingMs) }));
    },
    summaries(ids: readonly number[]): MomentSummary[] {
      return ids.flatMap((id) => {
        const row = summaryById.get(id);
        return row ? [toSummary(row)] : [];
      });
    },
  };
}

const SUMMARY_COLUMNS = 'id, revision, title, topic, status, tier, due_at, urgency, card_channel, card_ts, card_permalink, stamp';


/**
 * An open moment, written exactly as the partial index moments_open_by_channel is: SQLite uses a partial index only
 * for a query that states its condition.
 */
const OPEN = "status IN ('pending', 'changes_requested')";

// The open moments one person may see listed: reviewed in the channel they ask from, flagged by them, or theirs to
// review now (assigned at the moment's current tier, for a role the directory still gives them: a lead is not
// shown a crisis before it reaches them, nor someone taken out of legal the crises they were assigned). Each part
// is found through its own index of open moments (moments_open_by_channel, moments_open_by_flagger,
// assignments_open_by_user): never through the person's whole history. Each part gives the flag time beside the id,
// so the newest are chosen, and all counted, once, before any other column is read: read row by row, the hundreds of
// open moments of a review channel were each fetched twice (list and count) to show 20.
const VISIBLE_OPEN = `
    WITH visible (id, created_at) AS MATERIALIZED (
      SELECT id, created_at FROM moments WHERE review_channel = @channel AND ${OPEN}
      UNION SELECT id, created_at FROM moments WHERE flagger_id = @userId AND ${OPEN}
      UNION SELECT m.id, m.created_at FROM assignments a JOIN moments m ON m.id = a.moment_id
        WHERE a.user_id = @userId AND a.open = 1 AND a.tier = m.tier AND m.${OPEN}
          AND (a.role IN (SELECT value FROM json_each(@roles))
            OR (@known IS NOT NULL AND a.role NOT IN (SELECT value FROM json_each(@known)))))`;

/** What `lastExpiredForSource` runs: its condition matches migration 024's index, so the index is used. */
export const EXPIRED_BY_SOURCE_SQL =
  "SELECT id FROM moments WHERE source_channel = ? AND source_ts = ? AND source_ts IS NOT NULL AND status = 'expired' ORDER BY id DESC LIMIT 1";

/** What `openIds` runs: through a partial index of open moments (by channel or by flagger), so only open rows are read. */
export const OPEN_IDS_SQL = `SELECT id FROM moments WHERE ${OPEN}`;

/** What `openFor` runs (exported so a test explains the very text that runs). */
export const VISIBLE_OPEN_SQL = {
  /** The newest `limit`, each with how many there are in all (`total`). */
  newest: `${VISIBLE_OPEN}
    SELECT ${SUMMARY_COLUMNS}, (SELECT COUNT(*) FROM visible) AS total FROM moments
    WHERE id IN (SELECT id FROM visible ORDER BY created_at DESC, id DESC LIMIT @limit)
    ORDER BY created_at DESC, id DESC`,
} as const;

interface SummaryRow {
  id: number;
  revision: number;
  title: string;
  topic: string;
  status: string;
  tier: number;
  due_at: number;
  urgency: string;
  card_channel: string | null;
  card_ts: string | null;
  card_permalink: string | null;
  stamp: string | null;
}

function toSummary(row: SummaryRow): MomentSummary {
  return {
    id: row.id,
    revision: row.revision,
    title: row.title,
    topic: row.topic,
    status: parseStatus(row.status),
    tier: row.tier,
    dueAt: row.due_at,
    ...(row.urgency === 'high' ? { urgent: true as const } : {}),
    ...(row.stamp === null ? {} : { stamp: row.stamp }),
    card:
      row.card_channel !== null && row.card_ts !== null
        ? { channel: row.card_channel, ts: row.card_ts, permalink: row.card_permalink ?? undefined }
        : undefined,
  };
}
