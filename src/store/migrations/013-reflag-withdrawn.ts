/**
 * A message flagged once is reviewed once, unless its flagger withdrew that moment: then the message may be flagged
 * again (as the refusal of a flagger's own request for changes advises), by reaction or shortcut. The unique index on
 * the source message leaves withdrawn moments out.
 */
export const migration013 = `
DROP INDEX moments_source;
CREATE UNIQUE INDEX moments_source ON moments (source_channel, source_ts) WHERE source_ts IS NOT NULL AND status <> 'withdrawn';
`;
