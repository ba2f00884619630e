import type Database from 'better-sqlite3';
import type { Roster } from '../core/routing';

export type RosterShownTable = ReturnType<typeof rosterShownTable>;

interface Row {
  members: string;
  unread: string;
}

/** The roster the open cards and DMs were last brought up to date with (see migration 012). */
export function rosterShownTable(db: Database.Database) {
  const select = db.prepare<[], Row>('SELECT members, unread FROM roster_shown WHERE id = 1');
  const upsert = db.prepare(
    'INSERT INTO roster_shown (id, members, unread, saved_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET members = excluded.members, unread = excluded.unread, saved_at = excluded.saved_at',
  );
  return {
    /** Undefined before the first save (a new database, or one from before migration 012). */
    read(): Roster | undefined {
      const row = select.get();
      return row ? parseRoster(row) : undefined;
    },
    save(roster: Roster, now: number): void {
      upsert.run(JSON.stringify(Object.fromEntries(roster.members)), JSON.stringify([...roster.unread]), now);
    },
  };
}

/** Written by save only; anything else in the row reads as nobody, which the next save replaces. */
function parseRoster(row: Row): Roster {
  const members = new Map<string, readonly string[]>();
  const parsed: unknown = JSON.parse(row.members);
  if (parsed !== null && typeof parsed === 'object') {
    for (const [role, ids] of Object.entries(parsed)) {
      if (Array.isArray(ids)) members.set(role, ids.filter((id): id is string => typeof id === 'string'));
    }
  }
  const unread: unknown = JSON.parse(row.unread);
  return { members, unread: new Set(Array.isArray(unread) ? unread.filter((r): r is string => typeof r === 'string') : []) };
}
