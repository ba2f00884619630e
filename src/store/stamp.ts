import { randomBytes } from 'node:crypto';

/**
 * A short random mark set beside a number the database hands out again after a restore (a moment's id, an outbox
 * row's): 8 hex digits, one chance in four billion that a reused number comes with the same one.
 */
export function newStamp(): string {
  return randomBytes(4).toString('hex');
}
