/**
 * Whether the flagger changed a flagged message's words in the flag form before sending them for review: then the
 * message's thread is not told "Go post it!" under words nobody approved. Moments flagged before read as unchanged.
 */
export const migration026 = `
ALTER TABLE moments ADD COLUMN source_edited INTEGER NOT NULL DEFAULT 0;
`;
