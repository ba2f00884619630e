import type Database from 'better-sqlite3';

export type HomeViewersTable = ReturnType<typeof homeViewersTable>;

/** Who opened their Home tab when (see migration 019). */
export function homeViewersTable(db: Database.Database) {
  const upsert = db.prepare(
    'INSERT INTO home_viewers (user_id, opened_at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET opened_at = MAX(opened_at, excluded.opened_at)',
  );
  // One statement however many people a moment has (a big group's moment has hundreds), each a primary-key probe.
  const viewersSince = db.prepare<[string, number], { user_id: string }>(
    'SELECT user_id FROM home_viewers WHERE user_id IN (SELECT value FROM json_each(?)) AND opened_at >= ?',
  );
  return {
    /** The person opened their Home (or pressed in it) at `at`. */
    opened(userId: string, at: number): void {
      upsert.run(userId, at);
    },
    /** Those of `userIds` who opened their Home at `since` or later. */
    openedSince(userIds: readonly string[], since: number): string[] {
      if (userIds.length === 0) return [];
      return viewersSince.all(JSON.stringify(userIds), since).map((row) => row.user_id);
    },
  };
}
