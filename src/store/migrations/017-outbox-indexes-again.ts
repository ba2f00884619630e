/**
 * Migration 004 gained the worker's two outbox indexes after it had shipped, so a database that was already past
 * version 4 never got them (and 005 then dropped the only other one): every delivery scanned the whole outbox.
 * They are created here for such databases; a database migrated since already has them.
 */
export const migration017 = `
CREATE INDEX IF NOT EXISTS outbox_open_in_order ON outbox (id) WHERE done_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_unclaimed_due ON outbox (next_attempt_at) WHERE done_at IS NULL AND claimed_until IS NULL;
`;
