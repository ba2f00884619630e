/**
 * Each DM keeps why it was sent, so a re-render while the moment is open (an approval, a change of reviewers) keeps
 * its words: an escalation's DM stays "escalated to you", a reminder stays a reminder. DMs recorded before are taken
 * as first review DMs and flagger requests, which most of them were.
 */
export const migration011 = `
ALTER TABLE dm_messages ADD COLUMN why TEXT NOT NULL DEFAULT 'review';
ALTER TABLE flagger_notes ADD COLUMN reminder INTEGER NOT NULL DEFAULT 0;
`;
