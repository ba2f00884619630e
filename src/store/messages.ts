import type Database from 'better-sqlite3';

export interface DirectMessage {
  readonly userId: string;
  readonly channel: string;
  readonly ts: string;
}

export type MessagesTable = ReturnType<typeof messagesTable>;

/** Greenlight's own DMs about moments, and each person's DM channel, so later updates find them. */
export function messagesTable(db: Database.Database) {
  const upsertDm = db.prepare(
    'INSERT INTO dm_messages (moment_id, user_id, channel, ts) VALUES (?, ?, ?, ?) ON CONFLICT (moment_id, user_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts',
  );
  const dmsOf = db.prepare<[number], { user_id: string; channel: string; ts: string }>(
    'SELECT user_id, channel, ts FROM dm_messages WHERE moment_id = ? ORDER BY user_id',
  );
  const dmOf = db.prepare<[number, string], { channel: string; ts: string }>('SELECT channel, ts FROM dm_messages WHERE moment_id = ? AND user_id = ?');
  const setChannel = db.prepare('INSERT OR REPLACE INTO dm_channels (user_id, channel) VALUES (?, ?)');
  const channelOf = db.prepare<[string], { channel: string }>('SELECT channel FROM dm_channels WHERE user_id = ?');
  return {
    recordDm(momentId: number, userId: string, channel: string, ts: string): void {
      upsertDm.run(momentId, userId, channel, ts);
    },
    dms(momentId: number): DirectMessage[] {
      return dmsOf.all(momentId).map((r) => ({ userId: r.user_id, channel: r.channel, ts: r.ts }));
    },
    dm(momentId: number, userId: string): DirectMessage | undefined {
      const row = dmOf.get(momentId, userId);
      return row ? { userId, channel: row.channel, ts: row.ts } : undefined;
    },
    rememberDmChannel(userId: string, channel: string): void {
      setChannel.run(userId, channel);
    },
    dmChannel(userId: string): string | undefined {
      return channelOf.get(userId)?.channel;
    },
  };
}
