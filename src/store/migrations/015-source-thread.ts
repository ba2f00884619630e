/**
 * A flagged message that is itself a reply in a thread keeps its thread's parent: Greenlight's notes about the moment go
 * to that thread as Slack advises (a `thread_ts` names the parent, not a reply). Moments flagged before carry none and
 * answer with the message's own ts, as they did.
 */
export const migration015 = `
ALTER TABLE moments ADD COLUMN source_thread_ts TEXT;
`;
