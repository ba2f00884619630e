/**
 * Each moment's stamp, a short random mark its buttons carry beside its id: a database restored from a backup, or one
 * started empty, gives new moments the ids of moments whose cards and DMs are still in Slack, and a press on one of those
 * must not decide the new moment. Moments flagged before have none, and their buttons are taken as they were.
 */
export const migration027 = `
ALTER TABLE moments ADD COLUMN stamp TEXT;
`;
