import type Database from 'better-sqlite3';
import type { Roster } from '../core/routing';

export type RosterShownTable = ReturnType<typeof rosterShownTable>;

interface Row {
  members: string;
  unread: string;
  last_known: string | null;
}

/** The roster the open cards and DMs were last brought up to date with (see migration 012). */
export function rosterShownTable(db: Database.Database) {
  const select = db.prepare<[], Row>('SELECT members, unread, last_known FROM roster_shown WHERE id = 1');
  const upsert = db.prepare(
    'INSERT INTO roster_shown (id, members, unread, last_known, saved_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET members = excluded.members, unread = excluded.unread, last_known = excluded.last_known, saved_at = excluded.saved_at',
  );
  return {
    /** Undefined before the first save (a new database, or one from before migration 012). */
    read(): Roster | undefined {
      const row = select.get();
      return row ? parseRoster(row) : undefined;
    },
    /** An unread role saved with members keeps them as the last known (see withLastKnown). */
    save(roster: Roster, now: number): void {
      const lastKnown = [...roster.unread].filter((role) => roster.members.has(role));
      upsert.run(JSON.stringify(Object.fromEntries(roster.members)), JSON.stringify([...roster.unread]), JSON.stringify(lastKnown), now);
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
  const unread = new Set(stringsIn(JSON.parse(row.unread)));
  // An unread role's members are its last known only when saved as such: a roster saved before migration 033 held
  // whatever part of the role was read, and has none.
  const lastKnown = new Set(row.last_known === null ? [] : stringsIn(JSON.parse(row.last_known)));
  for (const role of unread) if (!lastKnown.has(role)) members.delete(role);
  return { members, unread };
}

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
