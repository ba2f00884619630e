import type { Routing } from '../core/routing-types';

/**
 * The example's made-up channel, user and user group IDs and emails, built in rather than read from the example: an
 * image of `dist/` alone (README) has no example to read, and a copy of it would start. A test keeps the two equal.
 */
export const EXAMPLE_PLACEHOLDERS: readonly string[] = [
  'C0123CRISIS', 'C0123REVIEW', 'U0AAAAAA1', 'U0AAAAAA2', 'ana@example.com', 'S0LEGAL01', 'U0CCCCCC1', 'U0CCCCCC2', 'U0LEAD001',
];

/**
 * The IDs of `routing` that are the example's own made-up ones: a copy of the example not yet edited parses, starts,
 * and only fails at the first card ("channel_not_found").
 */
export function examplePlaceholdersIn(routing: Routing, placeholders: readonly string[] = EXAMPLE_PLACEHOLDERS): string[] {
  const made = new Set(placeholders);
  return [...new Set(idsOf(routing).filter((id) => made.has(id)))];
}

/** What the start says when the routing file still holds the example's IDs; undefined when it holds none. */
export function examplePlaceholderProblem(routing: Routing, routingFile: string): string | undefined {
  const found = examplePlaceholdersIn(routing);
  if (found.length === 0) return undefined;
  const shown = found.length > 4 ? `${found.slice(0, 4).join(', ')} and ${found.length - 4} more` : found.join(', ');
  return `${routingFile}: still holds the example's made-up IDs (${shown}): put in your workspace's channel, user and user group IDs (README, setup step 5)`;
}

/** Every channel, user, user group and email a routing file names. */
export function idsOf(routing: Routing): string[] {
  return [
    ...routing.topics.map((t) => t.channel),
    ...Object.values(routing.roles).flatMap((role) => [...role.userIds, ...role.emails, ...role.usergroups]),
  ];
}
