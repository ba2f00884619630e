import type Database from 'better-sqlite3';

export type GroupDeparturesTable = ReturnType<typeof groupDeparturesTable>;

/** People who left a user group, as told by one process to the others on the database (see migration 032). */
export interface GroupDeparture {
  readonly id: number;
  readonly usergroup: string;
  readonly userIds: readonly string[];
  /** The process that wrote it (see GroupDepartures). */
  readonly toldBy: string;
  /** When it was written, by the clock of the process that wrote it. */
  readonly at: number;
}

export function groupDeparturesTable(db: Database.Database) {
  const insert = db.prepare('INSERT INTO group_departures (usergroup, user_ids, told_by, at) VALUES (?, ?, ?, ?)');
  // A primary-key range: nothing to read costs one probe, as it does before every press. A reader's own rows are read
  // too, so that it moves past them.
  const since = db.prepare<[number], { id: number; usergroup: string; user_ids: string; told_by: string; at: number }>(
    'SELECT id, usergroup, user_ids, told_by, at FROM group_departures WHERE id > ? ORDER BY id',
  );
  const latest = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM group_departures');
  const prune = db.prepare('DELETE FROM group_departures WHERE at < ?');
  return {
    record(usergroup: string, userIds: readonly string[], toldBy: string, at: number): void {
      insert.run(usergroup, JSON.stringify(userIds), toldBy, at);
    },
    /** Departures after `id`, oldest first. */
    since(id: number): GroupDeparture[] {
      return since.all(id).map((row) => ({ id: row.id, usergroup: row.usergroup, userIds: readUserIds(row.user_ids), toldBy: row.told_by, at: row.at }));
    },
    latestId(): number {
      return latest.get()?.id ?? 0;
    },
    forgetBefore(at: number): number {
      return prune.run(at).changes;
    },
  };
}

function readUserIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
