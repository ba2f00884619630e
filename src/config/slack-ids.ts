/** Shapes of the Slack identifiers the config accepts: cheap checks that catch a pasted name instead of an ID. */
export const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const USERGROUP_ID = /^S[A-Z0-9]{2,}$/;
// Deliberately loose: Slack's users.lookupByEmail is the real check.
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
