import path from 'node:path';
import { formatRoutingError, parseRouting, type RoutingResult } from '../../src/config/load-routing';
import type { Routing } from '../../src/core/routing-types';

/** The shipped example routing file. */
export const EXAMPLE_ROUTING_FILE = path.resolve(__dirname, '..', '..', 'src', 'config', 'routing.example.yml');

/** Joins lines, so each test can count them: the first string is line 1. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Lines 1-8 of most bad cases; the topics under test start on line 9. */
export const HEAD = [
  'defaults:', //                                     1
  '  channel: C0123REVIEW', //                        2
  'roles:', //                                        3
  '  brand: { members: [U0AAA, ana@example.com] }', // 4
  '  legal: { usergroup: S0LEGAL }', //               5
  '  comms: { members: [U0CCC] }', //                 6
  '  leads: { members: [U0LEAD] }', //                7
  'topics:', //                                       8
];

export function routingOf(result: RoutingResult): Routing {
  if (!result.ok) throw new Error(`expected a routing, got:\n${result.errors.map(formatRoutingError).join('\n')}`);
  return result.routing;
}

/** Every error, formatted as the person will see it. */
export function errorsOf(text: string): string[] {
  const result = parseRouting(text, 'routing.yml');
  if (result.ok) throw new Error('expected errors, got a routing');
  return result.errors.map(formatRoutingError);
}

export function topicsErrors(...topicLines: string[]): string[] {
  return errorsOf(yaml(...HEAD, ...topicLines));
}

export const DESIGN_EXAMPLE = yaml(
  'defaults:',
  '  channel: C0123REVIEW        # review channel for cards (a topic may override)',
  '  decide_within: 30m          # per tier; units s, m, h',
  '  remind_at: 50%              # of decide_within',
  '  escalate_to: [leads]        # tiers, in order; after the last, the moment expires',
  '  self_approval: false',
  'roles:',
  '  brand:  { members: [U0AAA, ana@example.com] }',
  '  legal:  { usergroup: S0LEGAL }',
  '  comms:  { members: [U0CCC] }',
  '  leads:  { members: [U0LEAD] }',
  'topics:',
  '  - name: crisis',
  '    keywords: [outage, recall, complaint, boycott]',
  '    channel: C0123CRISIS',
  '    require: { comms: 1, legal: 1 }',
  '    decide_within: 10m',
  '  - name: default',
  '    require: { brand: 1 }',
);
