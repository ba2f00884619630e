/**
 * A message whose moment expired may be flagged again, as one whose moment was withdrawn may (migration 013): nobody
 * decided it, so no verdict stands in the way of asking again (reviewers asleep overnight, a complaint still burning in
 * the morning). Approved and rejected moments keep their message.
 */
export const migration022 = `
DROP INDEX moments_source;
CREATE UNIQUE INDEX moments_source ON moments (source_channel, source_ts) WHERE source_ts IS NOT NULL AND status NOT IN ('withdrawn', 'expired');
`;
