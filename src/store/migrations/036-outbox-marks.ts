/**
 * Each outbox row's mark: the random mark of the process that queued it, which its post carries beside the row's id.
 * A database restored from a backup (or an emptied one) hands out row ids again that messages posted since already
 * carry; a post whose answer was lost is looked for by id and mark, so it is never taken for an older message. Rows
 * queued before have none, and are looked for by id alone, as before.
 */
export const migration036 = `
ALTER TABLE outbox ADD COLUMN mark TEXT;
`;
