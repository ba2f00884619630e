/**
 * A message flagged through the shortcut can be longer than a form field takes (3000 characters):
 * its whole text waits here while the form is open, so the moment keeps it whole.
 */
export const migration003 = `
CREATE TABLE flag_drafts (
  key        TEXT PRIMARY KEY,
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;
