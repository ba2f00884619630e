/**
 * A reviewer can get several DMs about one moment (the review, each reminder, an escalation to a tier they are
 * also in, a new revision), each with buttons until the moment ends. The first table kept only the newest per
 * moment and reviewer, so the older ones were never updated: now every DM is kept, each with its own channel and
 * ts. The rows already there carry over, and the DMs they had replaced are found again where delivery recorded
 * them, in the outbox's sent review DMs and reminders (as long as those rows are kept).
 */
export const migration006 = `
CREATE TABLE dm_messages_every (
  moment_id INTEGER NOT NULL REFERENCES moments (id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL,
  channel   TEXT NOT NULL,
  ts        TEXT NOT NULL,
  -- One person's DMs about a moment read oldest first from the key itself.
  PRIMARY KEY (moment_id, user_id, ts, channel)
) STRICT, WITHOUT ROWID;

INSERT INTO dm_messages_every (moment_id, user_id, channel, ts)
SELECT moment_id, user_id, channel, ts FROM dm_messages;

-- CASE, not AND: SQLite does not promise to test json_valid before json_extract runs.
INSERT INTO dm_messages_every (moment_id, user_id, channel, ts)
SELECT moment_id, user_id, result_channel, result_ts
FROM (
  SELECT moment_id, result_channel, result_ts,
         CASE WHEN json_valid(payload) THEN json_extract(payload, '$.userId') END AS user_id
  FROM outbox
  WHERE kind IN ('dm_reviewer', 'remind_reviewer') AND outcome = 'sent' AND moment_id IS NOT NULL
    AND result_channel IS NOT NULL AND result_ts IS NOT NULL AND result_ts <> ''
)
WHERE typeof(user_id) = 'text'
ON CONFLICT DO NOTHING;

DROP TABLE dm_messages;
ALTER TABLE dm_messages_every RENAME TO dm_messages;
`;
