/**
 * A message whose moment expired while its flagger owed a revision stays held (see momentHoldingSource): reviewers
 * asked for its words to change, so they do not go back up unrevised. Its expired moments are found by the message.
 */
export const migration024 = `
CREATE INDEX moments_expired_by_source ON moments (source_channel, source_ts) WHERE source_ts IS NOT NULL AND status = 'expired';
`;
