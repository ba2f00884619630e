/** The routing files and the people used by the benchmarks. */

export const REVIEW_CHANNEL = 'C0BENCHREVIEW';
/** The brand reviewer who presses Approve in the approve round-trip. */
export const APPROVER = 'U0ANA';
export const FLAGGER_COUNT = 200;

/** Seeded moments rotate over this many flaggers, so the flagger DMs after each approval spread over many DM channels. */
export function flaggerId(index: number): string {
  return `U0FLAG${String(index % FLAGGER_COUNT).padStart(4, '0')}`;
}

/**
 * The approve and flag round-trips: `sports` and `default` each need one brand approval. Deadlines
 * are a day away, so no reminder or timeout comes due while the benchmark runs.
 */
export const ROUND_TRIP_ROUTING = `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 24h
  remind_at: 50%
  escalate_to: [leads]
roles:
  brand: { members: [${APPROVER}, U0BEA] }
  leads: { members: [U0LEAD] }
topics:
  - name: sports
    keywords: [match, goal]
    require: { brand: 1 }
  - name: default
    require: { brand: 1 }
`;

/** The people of the round-trips' routing file, as the stand-in's workspace knows them (Greenlight checks each ID at start). */
export const ROUND_TRIP_PEOPLE: readonly { id: string; name: string }[] = [
  { id: APPROVER, name: 'ana' },
  { id: 'U0BEA', name: 'bea' },
  { id: 'U0LEAD', name: 'lead' },
];

/** The burst's reviewers, as the stand-in's workspace knows them. */
export function burstPeople(channels: number): { id: string; name: string }[] {
  return Array.from({ length: channels }, (_, i) => ({ id: burstReviewer(i), name: `reviewer${i + 1}` }));
}

export function burstChannel(index: number): string {
  return `C0BURST${index + 1}`;
}

export function burstReviewer(index: number): string {
  return `U0REV${index + 1}`;
}

export function burstTopic(index: number): string {
  return `burst${index + 1}`;
}

/** The burst: one topic per channel, each with its own reviewer, so reviewer DMs are not the bottleneck. */
export function burstRouting(channels: number): string {
  const roles = Array.from({ length: channels }, (_, i) => `  r${i + 1}: { members: [${burstReviewer(i)}] }`);
  const topics = Array.from(
    { length: channels },
    (_, i) => `  - name: ${burstTopic(i)}\n    channel: ${burstChannel(i)}\n    require: { r${i + 1}: 1 }`,
  );
  return [
    'defaults:',
    `  channel: ${burstChannel(0)}`,
    '  decide_within: 24h',
    'roles:',
    ...roles,
    'topics:',
    ...topics,
    '  - name: default',
    '    require: { r1: 1 }',
    '',
  ].join('\n');
}
