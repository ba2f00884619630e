import type Database from 'better-sqlite3';

export type FlagDraftsTable = ReturnType<typeof flagDraftsTable>;

/** Whole texts of messages being flagged through the form, keyed by the shortcut's trigger. */
export function flagDraftsTable(db: Database.Database) {
  const put = db.prepare('INSERT OR REPLACE INTO flag_drafts (key, text, created_at) VALUES (?, ?, ?)');
  const get = db.prepare<[string], { text: string }>('SELECT text FROM flag_drafts WHERE key = ?');
  const prune = db.prepare('DELETE FROM flag_drafts WHERE created_at < ?');
  return {
    put(key: string, text: string, now: number): void {
      put.run(key, text, now);
    },
    text(key: string): string | undefined {
      return get.get(key)?.text;
    },
    forgetBefore(at: number): number {
      return prune.run(at).changes;
    },
  };
}
