import type Database from 'better-sqlite3';

export type SeenTable = ReturnType<typeof seenTable>;

/** Slack event ids and interaction ids already handled, so a retry or replay runs once. */
export function seenTable(db: Database.Database) {
  const insert = db.prepare('INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)');
  const has = db.prepare<[string], { key: string }>('SELECT key FROM seen WHERE key = ?');
  const prune = db.prepare('DELETE FROM seen WHERE at < ?');
  return {
    /** Records the key; false when it was already there. */
    remember(key: string, now: number): boolean {
      return insert.run(key, now).changes === 1;
    },
    has(key: string): boolean {
      return has.get(key) !== undefined;
    },
    forgetBefore(at: number): number {
      return prune.run(at).changes;
    },
  };
}
