/**
 * Why Slack refused a moment's card for good (`not_in_channel`, `is_archived`, `restricted_action`…), so the flagger's
 * confirmation gives advice that fits: inviting Greenlight does nothing for an archived or read-only channel.
 */
export const migration023 = `
ALTER TABLE moments ADD COLUMN card_refused TEXT;
`;
