/**
 * A moment flagged from a message keeps that message's permalink, so its card links back to it: the copy on a card
 * leaves out who said it and where, which reviewers may need before they decide. Moments flagged before have none.
 */
export const migration016 = `
ALTER TABLE moments ADD COLUMN source_permalink TEXT;
`;
