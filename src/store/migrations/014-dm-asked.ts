/**
 * Each review DM keeps the tier and revision it asked about, so once the moment moves on (a revision, an escalation)
 * it is re-rendered once as replaced, without buttons, and then left alone (`settled`): only the DMs about what is asked
 * now follow every later change, and a reviewer's updates per change stay one per live DM however many revisions came.
 * DMs recorded before carry none and keep following the moment as they did.
 */
export const migration014 = `
ALTER TABLE dm_messages ADD COLUMN asked_tier INTEGER;
ALTER TABLE dm_messages ADD COLUMN asked_revision INTEGER;
ALTER TABLE dm_messages ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;
`;
