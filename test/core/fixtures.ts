import { decide, type Actor, type Command } from '../../src/core/decide';
import type { MomentEvent } from '../../src/core/events';
import { evolveView } from '../../src/core/evolve';
import { flagMoment } from '../../src/core/flag';
import type { MomentContent, MomentView, SourceMessage } from '../../src/core/moment';
import type { Topic } from '../../src/core/routing-types';

/** Shared, pure fixtures for the core, store, workflow and block tests: no Slack, no clock. */

export const PEOPLE = {
  flagger: 'U0FLAG',
  ana: 'U0ANA', // brand
  bea: 'U0BEA', // brand
  cal: 'U0CAL', // comms
  leo: 'U0LEO', // legal
  lead: 'U0LEAD', // leads (tier 1)
  boss: 'U0BOSS', // execs (tier 2)
  outsider: 'U0OUT',
} as const;

export const MINUTE = 60_000;
/** 2024-05-01T09:00:00Z: every test's "now" starts here. */
export const T0 = Date.UTC(2024, 4, 1, 9, 0, 0);

export const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  brand: [PEOPLE.ana, PEOPLE.bea],
  comms: [PEOPLE.cal],
  legal: [PEOPLE.leo],
  leads: [PEOPLE.lead],
  execs: [PEOPLE.boss],
};

export function membersFrom(members: Readonly<Record<string, readonly string[]>>): (role: string) => readonly string[] {
  return (role) => members[role] ?? [];
}

export function topic(overrides: Partial<Topic> = {}): Topic {
  return {
    name: 'default',
    keywords: [],
    channel: 'C0REVIEW',
    require: { brand: 1 },
    decideWithinMs: 30 * MINUTE,
    remindAtFraction: 0.5,
    escalateTo: ['leads'],
    selfApproval: false,
    ...overrides,
  };
}

/** comms 1 + legal 1, ten minutes a tier, then leads, then execs. */
export const CRISIS = topic({
  name: 'crisis',
  keywords: ['outage', 'recall'],
  channel: 'C0CRISIS',
  require: { comms: 1, legal: 1 },
  decideWithinMs: 10 * MINUTE,
  escalateTo: ['leads', 'execs'],
});

export const CONTENT: MomentContent = {
  title: 'Oreo: dunk in the dark',
  copy: 'Power out? You can still dunk in the dark.',
  link: 'https://example.com/trend',
  urgency: 'normal',
};

export interface FlagOptions {
  readonly members?: Readonly<Record<string, readonly string[]>>;
  readonly flaggerId?: string;
  readonly content?: MomentContent;
  readonly source?: SourceMessage;
  readonly now?: number;
  readonly id?: number;
}

/** A freshly flagged moment as the store would hand it back: id 1, version 0, no decisions. */
export function flagged(t: Topic = topic(), options: FlagOptions = {}): MomentView {
  const result = flagMoment(
    { flaggerId: options.flaggerId ?? PEOPLE.flagger, content: options.content ?? CONTENT, topic: t, source: options.source },
    membersFrom(options.members ?? MEMBERS),
    options.now ?? T0,
  );
  if (!result.ok) throw new Error(`fixture could not flag: ${result.message}`);
  const { moment, assignments } = result.flagged;
  return { moment: { ...moment, id: options.id ?? 1, version: 0 }, assignments, decisions: [] };
}

export function actor(userId: string, currentRoles?: readonly string[]): Actor {
  return { userId, currentRoles: currentRoles === undefined ? undefined : new Set(currentRoles) };
}

/** What the workflow does with events, without a store: fold them in, with their decisions and seats. */
export function applyEvents(view: MomentView, events: readonly MomentEvent[]): MomentView {
  return events.reduce<MomentView>(evolveView, view);
}

/** Decides and applies; fails the test when the command is refused. */
export function act(view: MomentView, command: Command, now: number): MomentView {
  const decided = decide(view, command, now);
  if (!decided.ok) throw new Error(`expected ${command.kind} by ${command.actor.userId} to be accepted, got ${decided.code}`);
  return applyEvents(view, decided.events);
}

export function approve(view: MomentView, userId: string, now: number): MomentView {
  return act(view, { kind: 'approve', actor: actor(userId) }, now);
}
