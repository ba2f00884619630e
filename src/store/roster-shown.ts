import type Database from 'better-sqlite3';
import type { Roster } from '../core/routing';

export type RosterShownTable = ReturnType<typeof rosterShownTable>;

interface Row {
  members: string;
  unread: string;
  last_known: string | null;
}

/** A refresh of the open messages under way (see migration 034 and refreshCardsForRoster). */
export interface RefreshUnderWay {
  /** What the messages of the moments not reached yet show. */
  readonly from: Roster;
  /** The directory's read they are brought to. */
  readonly to: Roster;
  /** The last open moment reached (moments are reached in the order of their ids). */
  readonly doneThrough: number;
  /** The newest moment when it started: one flagged since was drawn from the new roster, and is not reached. */
  readonly through: number;
  /** The refresh doing it (see refreshCardsForRoster). */
  readonly by: string;
}

interface RefreshRow {
  refresh_from: string | null;
  refresh_to: string | null;
  refresh_done_through: number | null;
  refresh_through: number | null;
  refresh_by: string | null;
}

/** The roster the open cards and DMs were last brought up to date with (see migration 012). */
export function rosterShownTable(db: Database.Database) {
  const select = db.prepare<[], Row>('SELECT members, unread, last_known FROM roster_shown WHERE id = 1');
  const upsert = db.prepare(
    'INSERT INTO roster_shown (id, members, unread, last_known, saved_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET members = excluded.members, unread = excluded.unread, last_known = excluded.last_known, saved_at = excluded.saved_at',
  );
  const selectRefresh = db.prepare<[], RefreshRow>('SELECT refresh_from, refresh_to, refresh_done_through, refresh_through, refresh_by FROM roster_shown WHERE id = 1');
  const setRefresh = db.prepare<{ from: string | null; to: string | null; doneThrough: number | null; through: number | null; by: string | null }>(
    'UPDATE roster_shown SET refresh_from = @from, refresh_to = @to, refresh_done_through = @doneThrough, refresh_through = @through, refresh_by = @by WHERE id = 1',
  );
  const advance = db.prepare<[number], unknown>('UPDATE roster_shown SET refresh_done_through = ? WHERE id = 1');
  const takeOver = db.prepare<[string], unknown>('UPDATE roster_shown SET refresh_by = ? WHERE id = 1');
  const owner = db.prepare<[], { refresh_by: string | null }>('SELECT refresh_by FROM roster_shown WHERE id = 1');
  /** An unread role saved with members keeps them as the last known (see withLastKnown). */
  const save = (roster: Roster, now: number): void => {
    const lastKnown = [...roster.unread].filter((role) => roster.members.has(role));
    upsert.run(JSON.stringify(Object.fromEntries(roster.members)), JSON.stringify([...roster.unread]), JSON.stringify(lastKnown), now);
  };
  return {
    /** Undefined before the first save (a new database, or one from before migration 012). */
    read(): Roster | undefined {
      const row = select.get();
      return row ? parseRoster(row) : undefined;
    },
    save,
    /** The refresh under way, if any: one that stopped half-way (or another process's still going). */
    refreshUnderWay(): RefreshUnderWay | undefined {
      const row = selectRefresh.get();
      if (!row || row.refresh_from === null || row.refresh_to === null || row.refresh_by === null) return undefined;
      return {
        from: plainRoster(row.refresh_from),
        to: plainRoster(row.refresh_to),
        doneThrough: row.refresh_done_through ?? 0,
        through: row.refresh_through ?? Number.MAX_SAFE_INTEGER,
        by: row.refresh_by,
      };
    },
    /**
     * Saves `next` as shown and records the refresh that brings the messages of the moments up to `through` from `from`
     * to `to`, none reached yet.
     */
    startRefresh(next: Roster, from: Roster, to: Roster, through: number, by: string, now: number): void {
      save(next, now);
      setRefresh.run({ from: plainText(from), to: plainText(to), doneThrough: 0, through, by });
    },
    /** Which refresh is doing the one under way (read on every page, without its rosters); undefined when none is. */
    refreshOwner(): string | undefined {
      return owner.get()?.refresh_by ?? undefined;
    },
    /** The refresh `by` now goes on with the one under way (its own stopped, or its process gone). */
    takeRefresh(by: string): void {
      takeOver.run(by);
    },
    /** The moments up to `momentId` are reached. */
    advanceRefresh(momentId: number): void {
      advance.run(momentId);
    },
    endRefresh(): void {
      setRefresh.run({ from: null, to: null, doneThrough: null, through: null, by: null });
    },
  };
}

/** Written by save only; anything else in the row reads as nobody, which the next save replaces. */
function parseRoster(row: Row): Roster {
  const members = membersOf(JSON.parse(row.members));
  const unread = new Set(stringsIn(JSON.parse(row.unread)));
  // An unread role's members are its last known only when saved as such: a roster saved before migration 033 held
  // whatever part of the role was read, and has none.
  const lastKnown = new Set(row.last_known === null ? [] : stringsIn(JSON.parse(row.last_known)));
  for (const role of unread) if (!lastKnown.has(role)) members.delete(role);
  return { members, unread };
}

/** A roster as it is, every role's members with it (a refresh's rosters are read back exactly as they were given). */
function plainText(roster: Roster): string {
  return JSON.stringify({ members: Object.fromEntries(roster.members), unread: [...roster.unread] });
}

function plainRoster(text: string): Roster {
  const parsed: unknown = JSON.parse(text);
  const fields = parsed !== null && typeof parsed === 'object' ? (parsed as { members?: unknown; unread?: unknown }) : {};
  return { members: membersOf(fields.members), unread: new Set(stringsIn(fields.unread)) };
}

function membersOf(parsed: unknown): Map<string, readonly string[]> {
  const members = new Map<string, readonly string[]>();
  if (parsed !== null && typeof parsed === 'object') {
    for (const [role, ids] of Object.entries(parsed)) {
      if (Array.isArray(ids)) members.set(role, ids.filter((id): id is string => typeof id === 'string'));
    }
  }
  return members;
}

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
