/**
 * A delivering process claims an outbox row for a while before calling Slack, so a second
 * process on the same database (an overlapping deploy) never sends the same row at the same time.
 */
export const migration004 = `
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
`;
