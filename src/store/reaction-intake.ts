import type Database from 'better-sqlite3';

export interface PendingReaction {
  readonly eventKey: string;
  readonly channel: string;
  readonly ts: string;
  readonly userId: string;
  readonly receivedAt: number;
  readonly attempts: number;
}

export type ReactionIntakeTable = ReturnType<typeof reactionIntakeTable>;

/** Flag reactions received but not yet turned into moments. */
export function reactionIntakeTable(db: Database.Database) {
  const add = db.prepare('INSERT OR IGNORE INTO reaction_intake (event_key, channel, ts, user_id, received_at) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM reaction_intake WHERE event_key = ?');
  const attempt = db.prepare('UPDATE reaction_intake SET attempts = attempts + 1 WHERE event_key = ?');
  const pending = db.prepare<[number], { event_key: string; channel: string; ts: string; user_id: string; received_at: number; attempts: number }>(
    'SELECT event_key, channel, ts, user_id, received_at, attempts FROM reaction_intake ORDER BY received_at LIMIT ?',
  );
  return {
    /** False when this reaction is already waiting (a Slack retry while the first is in progress). */
    add(r: Omit<PendingReaction, 'attempts'>): boolean {
      return add.run(r.eventKey, r.channel, r.ts, r.userId, r.receivedAt).changes === 1;
    },
    /** False when it was not waiting (handled already, by the listener or the resume timer). */
    remove(eventKey: string): boolean {
      return remove.run(eventKey).changes === 1;
    },
    countAttempt(eventKey: string): void {
      attempt.run(eventKey);
    },
    pending(limit: number): PendingReaction[] {
      return pending.all(limit).map((r) => ({
        eventKey: r.event_key,
        channel: r.channel,
        ts: r.ts,
        userId: r.user_id,
        receivedAt: r.received_at,
        attempts: r.attempts,
      }));
    },
  };
}
