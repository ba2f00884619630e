/**
 * The roster (who is in each role, which roles Slack has not answered for) the open cards and DMs were last brought
 * up to date with. A user group changed while Greenlight was down is caught up at the next start by comparing it with
 * the directory's first read: nothing else remembers what the messages show. One row.
 */
export const migration012 = `
CREATE TABLE roster_shown (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  members TEXT NOT NULL,
  unread TEXT NOT NULL,
  saved_at INTEGER NOT NULL
);
`;
