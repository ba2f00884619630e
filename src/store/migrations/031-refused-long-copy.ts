/**
 * The cards, review DMs and their updates Slack refused for holding too much text (msg_blocks_too_long, a copy of more
 * than about 11,000 characters flagged from a long message), of moments still open, are tried again now that a copy is
 * cut to fit: given up for good, their moment would wait with nobody asked. Not the reminders: the review DM they
 * remind of goes now, with the time left as it is then, and a reminder beside it would ping twice.
 */
export const migration031 = `
UPDATE outbox
SET done_at = NULL, outcome = NULL, last_error = NULL, attempts = 0, first_attempt_at = NULL, next_attempt_at = 0, uncertain = 0,
    claimed_until = NULL, claimed_by = NULL
WHERE outcome = 'failed' AND last_error = 'msg_blocks_too_long' AND kind <> 'remind_reviewer'
  AND moment_id IN (SELECT id FROM moments WHERE status IN ('pending', 'changes_requested'));
UPDATE moments SET card_refused = NULL
WHERE card_refused = 'msg_blocks_too_long' AND status IN ('pending', 'changes_requested');
`;
