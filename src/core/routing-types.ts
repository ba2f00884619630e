/**
 * The routing file, parsed and validated into plain values (see DESIGN §4).
 * Durations are milliseconds; every topic carries its defaults already merged in,
 * so the rest of the code never looks at `defaults` again.
 */

/** Where a role's reviewers come from; any mix of the three is allowed. */
export interface RoleSource {
  readonly name: string;
  /** Slack user IDs listed in `members` (U… or W…). */
  readonly userIds: readonly string[];
  /** Emails listed in `members`, resolved through users.lookupByEmail. */
  readonly emails: readonly string[];
  /** Slack user group IDs (S…), resolved through usergroups.users.list. */
  readonly usergroups: readonly string[];
}

export interface Topic {
  readonly name: string;
  /** Lower-cased keywords; the first topic whose keyword appears in the text wins. */
  readonly keywords: readonly string[];
  /** Review channel for this topic's cards. */
  readonly channel: string;
  /** Role name -> approvals needed from distinct people (tier 0). */
  readonly require: Readonly<Record<string, number>>;
  /** Time allowed per tier before it times out. */
  readonly decideWithinMs: number;
  /** Fraction (0 < f < 1) of decideWithinMs after which undecided reviewers are reminded. */
  readonly remindAtFraction: number;
  /** Role names, in order: tier 1 is escalateTo[0], and so on. After the last tier times out, the moment expires. */
  readonly escalateTo: readonly string[];
  /** Whether the flagger's own approval counts. */
  readonly selfApproval: boolean;
}

export interface Routing {
  /** Every role named anywhere in the file, by name. */
  readonly roles: Readonly<Record<string, RoleSource>>;
  /** In file order; always contains a topic named `default`. */
  readonly topics: readonly Topic[];
}

export const DEFAULT_TOPIC = 'default';
