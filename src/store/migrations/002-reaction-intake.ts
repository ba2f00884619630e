/**
 * Reactions are acknowledged by Bolt before any listener runs, and flagging one needs the message
 * text from Slack: the reaction is written here first, so a crash before the moment exists loses nothing.
 */
export const migration002 = `
CREATE TABLE reaction_intake (
  event_key   TEXT PRIMARY KEY,
  channel     TEXT NOT NULL,
  ts          TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
`;
