import { codeOf } from '../store/open-database';

/**
 * The database is locked by another process (a backup, an admin's sqlite3 session) for longer than
 * the busy timeout. Nothing was written; the person is asked to try again.
 */
export function isStoreBusy(error: unknown): boolean {
  const code = codeOf(error) ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export const STORE_BUSY_MESSAGE = 'Greenlight could not save that just now: its database is busy. Nothing was recorded; try again in a moment.';
