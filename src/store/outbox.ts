import type Database from 'better-sqlite3';
import { AFTER_CARD_POST, laneOf, type Notice } from '../core/notice';
import { newStamp } from './stamp';

export interface OutboxRow {
  readonly id: number;
  readonly momentId: number | undefined;
  readonly lane: string | undefined;
  readonly notice: Notice;
  readonly attempts: number;
  readonly firstAttemptAt: number | undefined;
  /** A previous attempt may have landed (timeout, connection lost, 5xx): look before posting again. */
  readonly uncertain: boolean;
  readonly createdAt: number;
  /** The mark of the process that queued it (none for rows queued before marks): its post carries it beside the id. */
  readonly mark?: string;
}

interface Row {
  id: number;
  moment_id: number | null;
  lane: string | null;
  payload: string;
  attempts: number;
  first_attempt_at: number | null;
  uncertain: number;
  created_at: number;
  mark: string | null;
}

export interface OutboxStats {
  readonly open: number;
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
}

export type OutboxTable = ReturnType<typeof outboxTable>;

/** Rows read per prune stretch: a few milliseconds of work, however large the outbox. */
export const PRUNE_STRETCH = 2000;

/**
 * The prune's two statements (exported so a test explains the very text that runs). Pruning walks the oldest rows by
 * id, a bounded stretch at a time. Rows are written in time order and a row finishes after it was written, so the
 * rows that may be forgotten come first: the walk stops at a stretch holding none written before the cut-off instead
 * of reading the whole table (a week of history) on every prune. One row dated ahead (a clock stepped back) does not
 * stop it: only a whole stretch of newer rows does.
 */
export const PRUNE_SQL = {
  stretch: `
    SELECT MAX(CASE WHEN created_at < @before THEN id END) AS upTo, MAX(id) AS last, COUNT(*) AS rows
    FROM (SELECT id, created_at FROM outbox WHERE id > @after ORDER BY id LIMIT @limit)`,
  // The newest row is always kept: ids are max(id) + 1 (no AUTOINCREMENT), and an emptied outbox would hand out ids
  // again that earlier posts carry in their metadata, where looking before posting again would take one for the other.
  forget: 'DELETE FROM outbox WHERE id > @after AND id <= @upTo AND done_at IS NOT NULL AND done_at < @before AND id < (SELECT MAX(id) FROM outbox)',
} as const;

/**
 * Whether outbox row `o` goes in its turn: no earlier row of its moment's lane is still open, but for a post an update
 * may pass (UPDATE_MAY_PASS). A row of a lane that waits
 * for the card's post (AFTER_CARD_POST) waits for the moment's post_card too. Across an upgrade (an older Greenlight
 * still running while a deploy hands over, which queues the flagger's confirmation and the flagged message's replies in
 * the card's lane), a row of those kinds waits for an earlier one of its kind in the other lane, either way. Each a probe
 * of the lane index.
 */
const AFTER_CARD_POST_LANES = AFTER_CARD_POST.map((lane) => `'${lane}'`).join(', ');
/**
 * The posts an update need not wait for: an update re-renders what is posted when it goes, and these render the state
 * as it is when they go themselves. A thread reply under the card (it waits its turn behind the channel's queued
 * cards: an approval's card update behind it kept live buttons for seconds); a reminder not tried yet (a reminder tried
 * may have landed with what was true then, and is waited for), which is skipped once there is nothing left to decide.
 * `IS 1`: a note that is no reminder reads NULL there, and NOT (NULL) would let the update pass it. A damaged payload is
 * not read (json_extract fails the whole statement on it, and every read of the outbox with it): it is waited for, and
 * given up as unreadable.
 */
const UPDATE_MAY_PASS = `(o.kind = 'update_card' AND p.kind = 'thread_note')
    OR (o.kind = 'update_dm' AND p.kind = 'remind_reviewer' AND p.uncertain = 0)
    OR (o.kind = 'update_flagger_note' AND p.kind = 'notify_flagger' AND p.uncertain = 0
      AND CASE WHEN json_valid(p.payload) THEN json_extract(p.payload, '$.reminder') END IS 1)`;
/** The kinds of UPDATE_MAY_PASS's updates, which a finished row's lane is also looked through for (nextInLane). */
const PASSING_UPDATES = "'update_card', 'update_dm', 'update_flagger_note'";
const IN_TURN = `NOT EXISTS (
    SELECT 1 FROM outbox p
    WHERE p.done_at IS NULL AND p.moment_id = o.moment_id AND p.lane = o.lane AND p.id < o.id AND NOT (${UPDATE_MAY_PASS}))
  AND (o.lane NOT IN (${AFTER_CARD_POST_LANES}) OR NOT EXISTS (
    SELECT 1 FROM outbox c
    WHERE c.done_at IS NULL AND c.moment_id = o.moment_id AND c.lane = 'card' AND c.kind IN ('post_card', o.kind) AND c.id < o.id))
  AND (o.lane <> 'card' OR o.kind NOT IN ('confirm_flag', 'source_reply') OR NOT EXISTS (
    SELECT 1 FROM outbox s
    WHERE s.done_at IS NULL AND s.moment_id = o.moment_id AND s.lane IN (${AFTER_CARD_POST_LANES}) AND s.kind = o.kind AND s.id < o.id))`;

export function outboxTable(db: Database.Database) {
  // This process's mark on the rows it queues: a restored (or emptied) database hands out ids again that messages posted
  // since carry, and a post whose answer was lost is looked for by both.
  const mark = newStamp();
  const insert = db.prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at, mark) VALUES (?, ?, ?, ?, ?, ?, ?)');
  // A row is ready when it is due and unclaimed, and goes in its turn (IN_TURN): the whole pass's read, and one row's.
  const ready = db.prepare<[{ now: number; limit: number; after: number }], Row>(`
    SELECT o.id, o.moment_id, o.lane, o.payload, o.attempts, o.first_attempt_at, o.uncertain, o.created_at, o.mark
    FROM outbox o
    WHERE o.done_at IS NULL AND o.id > @after AND o.next_attempt_at <= @now
      AND (o.claimed_until IS NULL OR o.claimed_until < @now) AND ${IN_TURN}
    ORDER BY o.id LIMIT @limit`);
  const readyRow = db.prepare<[{ id: number; now: number }], Row>(`
    SELECT o.id, o.moment_id, o.lane, o.payload, o.attempts, o.first_attempt_at, o.uncertain, o.created_at, o.mark
    FROM outbox o
    WHERE o.id = @id AND o.done_at IS NULL AND o.next_attempt_at <= @now
      AND (o.claimed_until IS NULL OR o.claimed_until < @now) AND ${IN_TURN}`);
  // The row that follows a finished one in its lane, and the lane's next update, which may pass it (the lane index).
  const nextInLane = db.prepare<[{ momentId: number; lane: string; after: number }], { id: number }>(`
    SELECT id FROM outbox
    WHERE done_at IS NULL AND moment_id = @momentId AND lane = @lane AND id > @after
    ORDER BY id LIMIT 1`);
  const nextUpdateInLane = db.prepare<[{ momentId: number; lane: string; after: number }], { id: number }>(`
    SELECT id FROM outbox
    WHERE done_at IS NULL AND moment_id = @momentId AND lane = @lane AND id > @after AND kind IN (${PASSING_UPDATES})
    ORDER BY id LIMIT 1`);
  const openRow = db.prepare<[{ id: number; now: number }], Row>(`
    SELECT id, moment_id, lane, payload, attempts, first_attempt_at, uncertain, created_at, mark
    FROM outbox
    WHERE id = @id AND done_at IS NULL AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)`);
  // Claimed rows are left out: ours finish with a kick, another worker's come back when its lease runs out (the
  // worker also looks every poll interval).
  const nextDue = db.prepare<[], { at: number | null }>(
    'SELECT MIN(next_attempt_at) AS at FROM outbox WHERE done_at IS NULL AND claimed_until IS NULL',
  );
  const laterUpdate = db.prepare<[number, number, string], { id: number }>(
    "SELECT id FROM outbox WHERE done_at IS NULL AND moment_id = ? AND id > ? AND kind = ? LIMIT 1",
  );
  // A publish not claimed yet renders the Home as it is when it goes: a later change needs no other (the lane index).
  const homeWaiting = db.prepare<[string], { id: number }>(
    'SELECT id FROM outbox WHERE done_at IS NULL AND moment_id IS NULL AND lane = ? AND claimed_until IS NULL LIMIT 1',
  );
  const dueBy = db.prepare('UPDATE outbox SET next_attempt_at = MIN(next_attempt_at, ?) WHERE id = ? AND done_at IS NULL');
  const newest = db.prepare<[], { created_at: number }>('SELECT created_at FROM outbox ORDER BY id DESC LIMIT 1');
  const dueLater = db.prepare<[number, number]>('UPDATE outbox SET next_attempt_at = ? WHERE done_at IS NULL AND next_attempt_at > ?');
  const dueLaterFailedWith = db.prepare<[number, number, string]>(
    'UPDATE outbox SET next_attempt_at = ? WHERE done_at IS NULL AND next_attempt_at > ? AND last_error IN (SELECT value FROM json_each(?))',
  );
  const finish = db.prepare(
    'UPDATE outbox SET done_at = ?, outcome = ?, last_error = ?, result_channel = ?, result_ts = ?, claimed_until = NULL, claimed_by = NULL WHERE id = ? AND done_at IS NULL',
  );
  // A post is marked in flight (uncertain) as it is claimed: if the process dies or the answer is lost, the next
  // attempt knows the post may have landed and looks for it before posting again.
  const claim = db.prepare(`
    UPDATE outbox SET claimed_until = @until, claimed_by = @by,
      uncertain = CASE WHEN @post = 1 THEN 1 ELSE uncertain END,
      first_attempt_at = CASE WHEN @post = 1 THEN COALESCE(first_attempt_at, @now) ELSE first_attempt_at END
    WHERE id = @id AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < @now OR claimed_by = @by)
      AND next_attempt_at <= @now
      AND (@attempts IS NULL OR (attempts = @attempts AND uncertain = @uncertain))`);
  // Unlike `claim`, never takes a row whose claim lapsed and went to someone else (or was given back): the holder
  // may have sent it meanwhile.
  const renew = db.prepare('UPDATE outbox SET claimed_until = ? WHERE id = ? AND claimed_by = ? AND done_at IS NULL');
  const holds = db.prepare<[number, string], { id: number }>('SELECT id FROM outbox WHERE id = ? AND claimed_by = ? AND done_at IS NULL');
  const release = db.prepare('UPDATE outbox SET claimed_until = NULL, claimed_by = NULL WHERE id = ? AND claimed_by = ? AND done_at IS NULL');
  const claimers = db.prepare<[number], { claimed_by: string }>(
    'SELECT DISTINCT claimed_by FROM outbox WHERE done_at IS NULL AND claimed_by IS NOT NULL AND claimed_until >= ?',
  );
  const releaseAll = db.prepare('UPDATE outbox SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by = ? AND done_at IS NULL');
  const retry = db.prepare(`
    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, uncertain = ?,
      first_attempt_at = COALESCE(first_attempt_at, ?), claimed_until = NULL, claimed_by = NULL
    WHERE id = ? AND done_at IS NULL`);
  const pruneStretch = db.prepare<[{ after: number; before: number; limit: number }], { upTo: number | null; last: number | null; rows: number }>(
    PRUNE_SQL.stretch,
  );
  const prune = db.prepare<[{ after: number; upTo: number; before: number }]>(PRUNE_SQL.forget);
  const stats = db.prepare<[], { open: number; sent: number; failed: number; skipped: number }>(`
    SELECT COUNT(*) FILTER (WHERE done_at IS NULL) AS open,
           COUNT(*) FILTER (WHERE outcome = 'sent') AS sent,
           COUNT(*) FILTER (WHERE outcome = 'failed') AS failed,
           COUNT(*) FILTER (WHERE outcome = 'skipped') AS skipped
    FROM outbox`);

  const giveUp = db.prepare(`
    UPDATE outbox SET done_at = @now, outcome = 'failed', last_error = @why
    WHERE id = @id AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < @now)`);
  // Rows whose notice could not be read, by id, until the worker takes them.
  const unreadable = new Map<number, UnreadableRow>();
  const readable = (rows: readonly Row[]): OutboxRow[] =>
    rows.flatMap((r) => {
      const notice = parseNotice(r.payload);
      if ('problem' in notice) {
        unreadable.set(r.id, { id: r.id, why: notice.problem, damaged: notice.damaged, createdAt: r.created_at });
        return [];
      }
      return [toRow(r, notice)];
    });

  return {
    enqueue(momentId: number | undefined, notices: readonly Notice[], now: number): void {
      for (const notice of notices) {
        insert.run(momentId ?? null, laneOf(notice) ?? null, notice.kind, JSON.stringify(notice), now, now, mark);
      }
    },
    /**
     * Queues the person's Home to be published, unless a publish not yet taken by a worker is waiting already.
     * `looking`: they just opened it, so one waiting to be tried again (after a failure) is tried now, not minutes on.
     */
    queueHome(userId: string, now: number, looking = false): void {
      const notice = { kind: 'publish_home', userId } as const;
      const lane = laneOf(notice) ?? null;
      const waiting = lane === null ? undefined : homeWaiting.get(lane);
      if (waiting === undefined) insert.run(null, lane, notice.kind, JSON.stringify(notice), now, now, mark);
      else if (looking) dueBy.run(now, waiting.id);
    },
    /** The time the newest row was written (rows are written in time order), undefined for an empty outbox. */
    newestCreatedAt(): number | undefined {
      return newest.get()?.created_at;
    },
    /**
     * After the clock was set back: open rows due later than `now` were timed on the clock before the step, and are due
     * now instead of waiting it out. Returns how many.
     */
    dueNowIfLater(now: number): number {
      return dueLater.run(now, now).changes;
    },
    /** Rows waiting for a retry after one of `errors`, due now instead; how many. */
    dueNowIfFailedWith(now: number, errors: readonly string[]): number {
      return dueLaterFailedWith.run(now, now, JSON.stringify(errors)).changes;
    },
    /** Rows that may be sent now, in id order; `after`: only rows newer than that id (new since the last look). */
    ready(now: number, limit: number, after = 0): OutboxRow[] {
      return readable(ready.all({ now, limit, after }));
    },
    /**
     * Rows read since the last call whose notice this version cannot read, left out of every read: a damaged payload,
     * or a kind a newer version queued (during an overlapping deploy, which that version delivers), for the worker to
     * deal with one by one.
     */
    takeUnreadable(): UnreadableRow[] {
      const rows = [...unreadable.values()];
      unreadable.clear();
      return rows;
    },
    /** Gives up a row this version cannot read, unless another process has claimed it since (it may be sending it). */
    giveUpUnreadable(id: number, now: number, why: string): void {
      giveUp.run({ id, now, why });
    },
    /**
     * The rows a lane frees after `after` that are due and unclaimed now: its next open row, and its next update, which
     * may pass a post before it (none: not due yet, someone else's, or none left).
     */
    nextInLane(momentId: number, lane: string, after: number, now: number): OutboxRow[] {
      const args = { momentId, lane, after };
      const ids = new Set([nextInLane.get(args)?.id, nextUpdateInLane.get(args)?.id]);
      // In its turn by every rule `ready` applies, not only its lane's (a lane that waits for the card's post too).
      const due = [...ids].flatMap((id) => (id === undefined ? [] : (readyRow.get({ id, now }) ?? [])));
      return readable(due);
    },
    /** One row, when it is still open, due and unclaimed at `now`. */
    openRow(id: number, now: number): OutboxRow | undefined {
      const row = openRow.get({ id, now });
      return row ? readable([row])[0] : undefined;
    },
    /** When the earliest open, unclaimed row comes due (undefined when there is none). */
    nextDueAt(): number | undefined {
      return nextDue.get()?.at ?? undefined;
    },
    /**
     * True when an open row of `kind` (by default the row's own) was queued for the moment after this one: a later card
     * re-render makes this one redundant, as it shows the state when it goes.
     */
    hasLaterOfKind(row: OutboxRow, kind: Notice['kind'] = row.notice.kind): boolean {
      return row.momentId !== undefined && laterUpdate.get(row.momentId, row.id, kind) !== undefined;
    },
    /**
     * Takes (or extends) this worker's claim on a row until `until`; false when another worker holds it.
     * The lease outlasts one Slack call, so a live worker's row is never sent twice. `post`: the row is
     * about to be posted, so it is marked as possibly landed from now on. Only a row that is due. `asRead`: the row as
     * this worker read it; the claim fails when another worker has tried it since (a retry scheduled, or a post that
     * may have landed), so a copy held in memory is never sent as if nothing had happened: it is read again.
     */
    claim(id: number, by: string, now: number, until: number, post = false, asRead?: Pick<OutboxRow, 'attempts' | 'uncertain'>): boolean {
      const seen = asRead === undefined ? { attempts: null, uncertain: null } : { attempts: asRead.attempts, uncertain: asRead.uncertain ? 1 : 0 };
      return claim.run({ id, by, now, until, post: post ? 1 : 0, ...seen }).changes === 1;
    },
    /** Extends this worker's claim until `until`, only while it still holds it; false when it does not. */
    renew(id: number, by: string, until: number): boolean {
      return renew.run(until, id, by).changes === 1;
    },
    /** True while `by` holds the claim on this open row (lapsed or not: nobody else has taken it). */
    holds(id: number, by: string): boolean {
      return holds.get(id, by) !== undefined;
    },
    /** Gives up this worker's claim on a row it could not finish recording. */
    release(id: number, by: string): void {
      release.run(id, by);
    },
    /** Who holds claims on open rows that have not run out at `now`. */
    claimers(now: number): string[] {
      return claimers.all(now).map((r) => r.claimed_by);
    },
    /** Gives back every claim of a claimer whose process is gone; how many rows that freed. */
    releaseAllOf(by: string): number {
      return releaseAll.run(by).changes;
    },
    /** `refused`: what Slack refused for good while the rest of the notice went (kept as the row's last error). */
    markSent(id: number, now: number, result?: { channel: string; ts: string }, refused?: string): void {
      finish.run(now, 'sent', refused ?? null, result?.channel ?? null, result?.ts ?? null, id);
    },
    markFailed(id: number, now: number, error: string): void {
      finish.run(now, 'failed', error, null, null, id);
    },
    markSkipped(id: number, now: number, why: string): void {
      finish.run(now, 'skipped', why, null, null, id);
    },
    /** `uncertain`: the failed attempt may still have landed. */
    scheduleRetry(id: number, at: number, error: string, uncertain: boolean, now: number): void {
      retry.run(at, error, uncertain ? 1 : 0, now, id);
    },
    /**
     * Forgets delivered and abandoned rows finished before `before`, among the `limit` oldest rows after id `after`.
     * `next`: where the following stretch starts, undefined once the walk reached a stretch of rows all written since
     * `before` (or the end): a caller prunes a stretch at a time, so no single transaction holds the event loop for long.
     */
    pruneDone(before: number, after = 0, limit = PRUNE_STRETCH): { forgotten: number; next: number | undefined } {
      const stretch = pruneStretch.get({ after, before, limit });
      if (!stretch || stretch.upTo === null) return { forgotten: 0, next: undefined };
      const forgotten = prune.run({ after, upTo: stretch.upTo, before }).changes;
      return { forgotten, next: stretch.rows < limit || stretch.last === null ? undefined : stretch.last };
    },
    stats(): OutboxStats {
      return stats.get() ?? { open: 0, sent: 0, failed: 0, skipped: 0 };
    },
  };
}

/** Every notice kind this version delivers (a Record, so a kind added to Notice must be added here). */
const NOTICE_KINDS: Readonly<Record<Notice['kind'], true>> = {
  post_card: true,
  update_card: true,
  thread_note: true,
  confirm_flag: true,
  dm_reviewer: true,
  remind_reviewer: true,
  update_dm: true,
  notify_flagger: true,
  update_flagger_note: true,
  source_reply: true,
  ephemeral: true,
  respond: true,
  tell: true,
  publish_home: true,
};

/** A row this version cannot read: `damaged` (not a notice at all) or of a kind it does not know (a newer version's). */
export interface UnreadableRow {
  readonly id: number;
  readonly why: string;
  readonly damaged: boolean;
  readonly createdAt: number;
}

/** A row's notice, read at the edge; or why not. */
function parseNotice(payload: string): Notice | { problem: string; damaged: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { problem: 'the notice is not JSON', damaged: true };
  }
  if (typeof value !== 'object' || value === null || !('kind' in value) || typeof value.kind !== 'string') {
    return { problem: 'the notice has no kind', damaged: true };
  }
  if (!Object.hasOwn(NOTICE_KINDS, value.kind)) return { problem: `unknown notice kind "${value.kind.slice(0, 40)}"`, damaged: false };
  return value as Notice;
}

function toRow(r: Row, notice: Notice): OutboxRow {
  return {
    id: r.id,
    momentId: r.moment_id ?? undefined,
    lane: r.lane ?? undefined,
    notice,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at ?? undefined,
    uncertain: r.uncertain === 1,
    createdAt: r.created_at,
    ...(r.mark === null ? {} : { mark: r.mark }),
  };
}
