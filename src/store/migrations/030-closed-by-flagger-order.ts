/**
 * A flagger's closed moments are listed newest first by id, the order they were flagged in whatever the clock did: their
 * flag times stay on the clock they were flagged on, so after a clock set back one flagged before the step sorted
 * above one flagged after it. Their index is read in id order (the rowid follows the flagger id), and holds closed
 * moments only, as moments_open_by_flagger holds the open ones.
 */
export const migration030 = `
DROP INDEX moments_flagger;
CREATE INDEX moments_closed_by_flagger ON moments (flagger_id) WHERE NOT (status IN ('pending', 'changes_requested'));
`;
