/**
 * The flagger's DMs that asked for changes, each with the Revise… button of the revision it was sent on. Kept so a
 * revision, a withdrawal or the end of the moment can take that button away (a stale one was refused when pressed,
 * but still offered). `note`: the request as the DM rendered it (JSON), to render it again around the new status.
 */
export const migration010 = `
CREATE TABLE flagger_notes (
  moment_id INTEGER NOT NULL REFERENCES moments (id) ON DELETE CASCADE,
  revision  INTEGER NOT NULL,
  channel   TEXT NOT NULL,
  ts        TEXT NOT NULL,
  note      TEXT NOT NULL,
  PRIMARY KEY (moment_id, ts, channel)
) STRICT, WITHOUT ROWID;
`;
