/**
 * Outbox rows are read in id order through an index of open rows only (added after this migration shipped:
 * 017 creates both indexes for databases already past it); a delivering process claims
 * a row for a while before calling Slack, so a second process on the same database (an overlapping
 * deploy) never sends the same row at the same time.
 */
export const migration004 = `
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
-- The worker reads open rows in id order: this index holds only them, so delivered history is never scanned.
CREATE INDEX outbox_open_in_order ON outbox (id) WHERE done_at IS NULL;
-- When the next unclaimed row comes due, read from an index however long the backlog.
CREATE INDEX outbox_unclaimed_due ON outbox (next_attempt_at) WHERE done_at IS NULL AND claimed_until IS NULL;
`;
