import type Database from 'better-sqlite3';
import { parseDmReason, type DmReason, type Note } from '../core/notice';

export interface DirectMessage {
  readonly userId: string;
  readonly channel: string;
  readonly ts: string;
  /** Why it was sent, so a re-render keeps its words. */
  readonly why: DmReason;
  /** The tier and revision it asked about (undefined: recorded before they were kept). */
  readonly asked?: { readonly tier: number; readonly revision: number };
  /** Re-rendered for good as replaced by a later tier or revision: no later change touches it. */
  readonly settled: boolean;
}

interface DmRow {
  user_id: string;
  channel: string;
  ts: string;
  why: string;
  asked_tier: number | null;
  asked_revision: number | null;
  settled: number;
}

function toDm(r: DmRow): DirectMessage {
  return {
    userId: r.user_id,
    channel: r.channel,
    ts: r.ts,
    why: parseDmReason(r.why),
    ...(r.asked_tier !== null && r.asked_revision !== null ? { asked: { tier: r.asked_tier, revision: r.asked_revision } } : {}),
    settled: r.settled === 1,
  };
}

/** A DM that told the flagger what to change, and the revision whose Revise… it offered. */
export interface FlaggerNote {
  readonly channel: string;
  readonly ts: string;
  readonly revision: number;
  readonly note: Note;
  /** Sent as a reminder of the request. */
  readonly reminder: boolean;
}

export type MessagesTable = ReturnType<typeof messagesTable>;

/**
 * Greenlight's own DMs about moments, and each person's DM channel, so later updates find them. Every DM is kept:
 * a reviewer reminded, escalated to or sent a new revision has several about one moment, each with buttons.
 */
export function messagesTable(db: Database.Database) {
  // The same DM recorded twice (a post found again after a lost answer) is kept once.
  const insertDm = db.prepare(
    'INSERT INTO dm_messages (moment_id, user_id, channel, ts, why, asked_tier, asked_revision) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const DM_COLUMNS = 'user_id, channel, ts, why, asked_tier, asked_revision, settled';
  const dmsOf = db.prepare<[number], DmRow>(`SELECT ${DM_COLUMNS} FROM dm_messages WHERE moment_id = ? ORDER BY user_id, ts`);
  const dmsTo = db.prepare<[number, string], DmRow>(`SELECT ${DM_COLUMNS} FROM dm_messages WHERE moment_id = ? AND user_id = ? ORDER BY ts`);
  const settle = db.prepare('UPDATE dm_messages SET settled = 1 WHERE moment_id = ? AND channel = ? AND ts = ?');
  const insertNote = db.prepare(
    'INSERT INTO flagger_notes (moment_id, revision, channel, ts, note, reminder) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const notesOf = db.prepare<[number], { channel: string; ts: string; revision: number; note: string; reminder: number }>(
    'SELECT channel, ts, revision, note, reminder FROM flagger_notes WHERE moment_id = ? ORDER BY ts',
  );
  const setChannel = db.prepare('INSERT OR REPLACE INTO dm_channels (user_id, channel) VALUES (?, ?)');
  const channelOf = db.prepare<[string], { channel: string }>('SELECT channel FROM dm_channels WHERE user_id = ?');
  return {
    /**
     * Adds a DM Greenlight posted to `userId` about a moment, why, and the tier and revision it asked about; the ones
     * posted before it are kept.
     */
    recordDm(momentId: number, userId: string, channel: string, ts: string, why: DmReason = 'review', asked?: { tier: number; revision: number }): void {
      insertDm.run(momentId, userId, channel, ts, why, asked?.tier ?? null, asked?.revision ?? null);
    },
    /** Every DM about a moment, by person, each person's oldest first. */
    dms(momentId: number): DirectMessage[] {
      return dmsOf.all(momentId).map(toDm);
    },
    /** Every DM one person got about a moment, oldest first. */
    dmsTo(momentId: number, userId: string): DirectMessage[] {
      return dmsTo.all(momentId, userId).map(toDm);
    },
    /** The DM was re-rendered as replaced by a later tier or revision: later changes leave it alone. */
    settleDm(momentId: number, channel: string, ts: string): void {
      settle.run(momentId, channel, ts);
    },
    /** Adds a DM that asked the flagger for changes on `revision` (found again after a lost answer: kept once). */
    recordFlaggerNote(momentId: number, revision: number, channel: string, ts: string, note: Note, reminder = false): void {
      insertNote.run(momentId, revision, channel, ts, JSON.stringify(note), reminder ? 1 : 0);
    },
    /** The flagger's DMs kept about a moment (requests for changes, warnings that a role is short), oldest first. */
    flaggerNotes(momentId: number): FlaggerNote[] {
      // Written by recordFlaggerNote only, from a Note: read back as one.
      return notesOf.all(momentId).map((r) => ({ channel: r.channel, ts: r.ts, revision: r.revision, note: JSON.parse(r.note) as Note, reminder: r.reminder === 1 }));
    },
    rememberDmChannel(userId: string, channel: string): void {
      setChannel.run(userId, channel);
    },
    dmChannel(userId: string): string | undefined {
      return channelOf.get(userId)?.channel;
    },
  };
}
