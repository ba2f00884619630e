import path from 'node:path';
import type { Routing } from '../core/routing-types';
import { loadRouting } from './load-routing';

/** The shipped example, found from `src/config` and `dist/config` alike (both two levels under the project). */
export const EXAMPLE_ROUTING_FILE = path.resolve(__dirname, '..', '..', 'src', 'config', 'routing.example.yml');

/**
 * The channel, user and user group IDs (and emails) of `routing` that are the example's own made-up ones: a copy of
 * the example not yet edited parses, starts, and only fails at the first card ("channel_not_found").
 */
export function examplePlaceholdersIn(routing: Routing, example: Routing): string[] {
  const placeholders = new Set(idsOf(example));
  return [...new Set(idsOf(routing).filter((id) => placeholders.has(id)))];
}

/** What the start says when the routing file still holds the example's IDs; undefined when it holds none (or the example is not there). */
export function examplePlaceholderProblem(routing: Routing, routingFile: string, exampleFile = EXAMPLE_ROUTING_FILE): string | undefined {
  const example = loadRouting(exampleFile);
  if (!example.ok) return undefined;
  const found = examplePlaceholdersIn(routing, example.routing);
  if (found.length === 0) return undefined;
  const shown = found.length > 4 ? `${found.slice(0, 4).join(', ')} and ${found.length - 4} more` : found.join(', ');
  return `${routingFile}: still holds the example's made-up IDs (${shown}): put in your workspace's channel, user and user group IDs (README, setup step 5)`;
}

function idsOf(routing: Routing): string[] {
  return [
    ...routing.topics.map((t) => t.channel),
    ...Object.values(routing.roles).flatMap((role) => [...role.userIds, ...role.emails, ...role.usergroups]),
  ];
}
