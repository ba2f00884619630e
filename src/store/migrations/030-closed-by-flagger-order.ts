/**
 * A flagger's closed moments are listed newest first by id, the order they were flagged in whatever the clock did: their
 * flag times stay on the clock they were flagged on, so after a clock set back one flagged before the step sorted
 * above one flagged after it. Their index is read in id order (the rowid follows the flagger id), and holds closed
 * moments only, as moments_open_by_flagger holds the open ones.
 *
 * And the cards, review DMs and their updates Slack refused for holding too much text (msg_blocks_too_long, a copy of
 * more than about 11,000 characters flagged from a long message), of moments still open, are tried again now that a
 * copy is cut to fit: given up for good, their moment would wait with nobody asked.
 */
export const migration030 = `
DROP INDEX moments_flagger;
CREATE INDEX moments_closed_by_flagger ON moments (flagger_id) WHERE NOT (status IN ('pending', 'changes_requested'));
UPDATE outbox
SET done_at = NULL, outcome = NULL, last_error = NULL, attempts = 0, first_attempt_at = NULL, next_attempt_at = 0, uncertain = 0,
    claimed_until = NULL, claimed_by = NULL
WHERE outcome = 'failed' AND last_error = 'msg_blocks_too_long'
  AND moment_id IN (SELECT id FROM moments WHERE status IN ('pending', 'changes_requested'));
UPDATE moments SET card_refused = NULL
WHERE card_refused = 'msg_blocks_too_long' AND status IN ('pending', 'changes_requested');
`;
