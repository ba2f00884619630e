/**
 * The fingerprint of a flagged message's words when it was flagged: an approval looks again, so a message edited in
 * Slack since is not told "Go post it!" under words nobody approved. Moments flagged before have none, and are not looked at.
 */
export const migration028 = `
ALTER TABLE moments ADD COLUMN source_words TEXT;
`;
