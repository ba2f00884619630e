import { LogLevel } from '@slack/bolt';
import type { Fields, StructuredLogger } from '../log/logger';
import { codeOf } from '../store/open-database';
import { isStoreBusy, STORE_BUSY_MESSAGE } from './store-busy';

/**
 * The write failed for another reason than a lock: the disk full, an I/O error, the store refusing writes after a
 * failed fsync, a moment that kept changing under the decision. Its transaction rolled back.
 */
export const STORE_FAILED_MESSAGE =
  'Greenlight could not save that: its database failed to write it. Nothing was recorded; try again in a moment, and tell whoever runs Greenlight if it keeps failing.';

/** A read failed (an I/O error, the store refusing after a failed fsync) before anything was to be written. */
export const STORE_UNREAD_MESSAGE =
  'Greenlight could not read that moment just now: its database failed. Nothing was changed; try again in a moment, and tell whoever runs Greenlight if it keeps failing.';

/** A read that met a lock held by another process (rare under WAL: a checkpoint or recovery holding it). */
export const STORE_READ_BUSY_MESSAGE = 'Greenlight could not read that moment just now: its database is busy. Nothing was changed; try again in a moment.';

/** A list or the stats could not be read: nothing was asked to change. */
export const LIST_UNREAD_MESSAGE =
  'Greenlight could not read its moments just now: its database failed. Try again in a moment, and tell whoever runs Greenlight if it keeps failing.';

/** The same, the database held by another process for a moment. */
export const LIST_READ_BUSY_MESSAGE = 'Greenlight could not read its moments just now: its database is busy. Try again in a moment.';

/** What a press, command or form is called in the log line. */
export type UnsavedRequest = 'press' | 'reject' | 'request_changes' | 'revise' | 'flag' | 'list' | 'stats';

/**
 * A person's press, command or form could not be saved. Logs why at ERROR (the error's code and message, never
 * the request) and returns what to tell the person. The outbox lives in the database that just failed, so the
 * caller gives this answer itself, within Slack's 3 s: in the ack, or for a button straight to its response_url.
 */
export function unsavedAnswer(logger: StructuredLogger, what: UnsavedRequest, error: unknown, fields: Fields): string {
  const busy = isStoreBusy(error);
  logger.log(LogLevel.ERROR, busy ? `${what} not saved: database busy` : `${what} not saved: database failed`, failure(fields, error));
  return busy ? STORE_BUSY_MESSAGE : STORE_FAILED_MESSAGE;
}

/** The same for a press that only had to read the moment first (a modal's button): nothing was being saved. */
export function unreadAnswer(logger: StructuredLogger, what: UnsavedRequest, error: unknown, fields: Fields): string {
  const busy = isStoreBusy(error);
  logger.log(LogLevel.ERROR, busy ? `${what} not answered: database busy` : `${what} not answered: database read failed`, failure(fields, error));
  // A list is not "that moment".
  if (what === 'list' || what === 'stats') return busy ? LIST_READ_BUSY_MESSAGE : LIST_UNREAD_MESSAGE;
  return busy ? STORE_READ_BUSY_MESSAGE : STORE_UNREAD_MESSAGE;
}

/** The error's code and message, never the request. */
function failure(fields: Fields, error: unknown): Fields {
  return { ...fields, code: codeOf(error) ?? (error instanceof Error ? error.name : undefined), error: error instanceof Error ? error.message : String(error) };
}
