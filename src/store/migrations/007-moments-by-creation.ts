/**
 * Team stats read the moments flagged in the last 30 days each time someone opens the App Home, not only on
 * `/moment stats`: without an index on creation time that read scanned every moment ever flagged. The index is on
 * created_at alone: one that also covered status made SQLite count open moments by scanning it whole instead of
 * the partial index moments_open.
 */
export const migration007 = `
CREATE INDEX moments_created ON moments (created_at);
`;
