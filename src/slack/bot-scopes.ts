/**
 * The bot token scopes Greenlight needs (manifest.json asks for these; the README says why each), with what goes
 * missing without it, said at start. Most missing scopes also show later, as a missing_scope answer to a call; some
 * never do: without reactions:read Slack simply never sends a flag reaction.
 */
export const BOT_SCOPES: Readonly<Record<string, string>> = {
  commands: 'the /moment command and the Flag moment shortcut',
  'chat:write': 'posting cards, DMs and replies',
  'im:write': 'opening DMs with reviewers and flaggers',
  'channels:history': 'reading a message flagged by reaction in a public channel',
  'groups:history': 'reading a message flagged by reaction in a private channel',
  'im:history': 'looking for a DM before posting it again after a lost answer',
  'mpim:history': 'reading a message flagged by reaction in a group DM',
  'reactions:read': 'flag reactions: Slack sends none without it',
  'users:read': 'checking the routing file\'s user IDs, and names in flagged messages and thread notes',
  'users:read.email': 'the routing file\'s emails',
  'usergroups:read': 'the routing file\'s user groups',
};

/** The scopes Greenlight needs that `granted` (Slack's x-oauth-scopes, as the client reads it) lacks, each with its use. */
export function missingScopes(granted: readonly string[]): { readonly scope: string; readonly for: string }[] {
  const held = new Set(granted);
  return Object.entries(BOT_SCOPES)
    .filter(([scope]) => !held.has(scope))
    .map(([scope, use]) => ({ scope, for: use }));
}
