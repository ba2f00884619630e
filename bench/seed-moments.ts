import type { DeadlineSpec } from '../src/core/deadlines';
import { flagMoment } from '../src/core/flag';
import { noticesForFlag } from '../src/core/notices';
import type { Roster } from '../src/core/routing';
import type { Routing, Topic } from '../src/core/routing-types';
import type { Store } from '../src/store/store';
import { flaggerId } from './bench-routing';

const BATCH = 10_000;

export function topicNamed(routing: Routing, name: string): Topic {
  const topic = routing.topics.find((t) => t.name === name);
  if (!topic) throw new Error(`the bench routing has no topic "${name}"`);
  return topic;
}

export function membersFrom(routing: Routing): (role: string) => readonly string[] {
  return (role) => routing.roles[role]?.userIds ?? [];
}

/**
 * The directory's roster as the scanner passes it in production: every role's members as at the flag or, with
 * `newcomers`, with someone who joined each role since, so that each escalation also seats a reviewer (and DMs them).
 */
export function rosterOf(routing: Routing, newcomers: boolean): Roster {
  const members = (role: { name: string; userIds: readonly string[] }) => (newcomers ? [...role.userIds, `U0NEW${role.name.toUpperCase()}`] : role.userIds);
  return { members: new Map(Object.values(routing.roles).map((role) => [role.name, members(role)])), unread: new Set() };
}

export interface SeedOptions {
  readonly topic: Topic;
  readonly now: number;
  /** Moment number of the first one, so several seedings give distinct titles and flaggers. */
  readonly offset?: number;
  /** Replaces the moment's own deadlines (e.g. one timeout already due); the moment's default ones when unset. */
  readonly deadlines?: (flagged: readonly DeadlineSpec[]) => readonly DeadlineSpec[];
  /**
   * Also store each moment's first notices (card, confirmation, reviewer DMs) as already sent, as a
   * database that has flagged this many moments holds them. Needs a database with no other outbox rows.
   */
  readonly outboxHistory?: boolean;
}

/**
 * Stores `count` pending moments through the store's own operations (moment, reviewers,
 * deadlines) in transactions of 10,000. The stand-in is never asked for these posts: the seeded
 * moments have no card, and their outbox history (when asked for) is written as already sent.
 * Returns the ids in insertion order.
 */
export function seedMoments(store: Store, routing: Routing, count: number, options: SeedOptions): number[] {
  const membersOf = membersFrom(routing);
  const ids: number[] = [];
  const offset = options.offset ?? 0;
  let outboxId = 0;
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    store.transaction(() => {
      for (let i = start; i < end; i += 1) {
        const n = offset + i;
        const result = flagMoment(
          {
            flaggerId: flaggerId(n),
            content: {
              title: `Seeded moment ${n}`,
              copy: `Match day ${n}: our new boots are in store now, order before Friday and get free delivery. #${n % 97}`,
              link: n % 3 === 0 ? `https://example.com/posts/${n}` : undefined,
              urgency: n % 10 === 0 ? 'high' : 'normal',
            },
            topic: options.topic,
            source: undefined,
          },
          membersOf,
          options.now,
        );
        if (!result.ok) throw new Error(`seeding refused: ${result.message}`);
        const { moment, assignments, deadlines } = result.flagged;
        const stored = store.moments.insert(moment);
        const id = stored.id;
        store.reviews.assign(id, assignments);
        store.deadlines.schedule(id, options.deadlines ? options.deadlines(deadlines) : deadlines);
        if (options.outboxHistory) {
          const view = { moment: stored, assignments, decisions: [] };
          const notices = noticesForFlag(view, { channel: 'C0GENERAL', responseUrl: 'https://hooks.slack.com/commands/T0SANDBOX/1/seeded' });
          store.outbox.enqueue(id, notices, options.now);
          // Row ids follow insertion order in a table nothing else writes to or deletes from.
          for (let k = 0; k < notices.length; k += 1) {
            outboxId += 1;
            store.outbox.markSent(outboxId, options.now, { channel: moment.reviewChannel, ts: `${Math.floor(options.now / 1000)}.${String(n % 1e6).padStart(6, '0')}` });
          }
        }
        ids.push(id);
      }
    });
  }
  return ids;
}
