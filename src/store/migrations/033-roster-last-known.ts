/**
 * Which roles of the roster saved as unread keep the members the messages last showed for them (see withLastKnown): a
 * roster saved before this has none, since its unread roles were saved with whatever part of them was read, which would
 * read as people leaving or coming back.
 */
export const migration033 = `
ALTER TABLE roster_shown ADD COLUMN last_known TEXT;
`;
