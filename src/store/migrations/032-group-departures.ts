/**
 * People Slack said left a reviewer user group, as the one process Slack told heard it: every other Greenlight process
 * on the database reads them before its next press, so a person taken out of legal cannot approve through a process
 * that has not re-read the group yet. `told_by` names the process that wrote the row, which has applied it already.
 */
export const migration032 = `
CREATE TABLE group_departures (
  id INTEGER PRIMARY KEY,
  usergroup TEXT NOT NULL,
  user_ids TEXT NOT NULL,
  told_by TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX group_departures_by_time ON group_departures (at);
`;
