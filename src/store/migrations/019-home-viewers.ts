/**
 * When each person last opened Greenlight's Home tab (or pressed in it): a Home opened lately is kept current as its
 * moments change, since Slack shows a published Home as it was until the app publishes it again. One row a person.
 */
export const migration019 = `
CREATE TABLE home_viewers (
  user_id TEXT PRIMARY KEY,
  opened_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;
