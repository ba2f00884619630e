import type { FlagRequest } from '../../src/core/flag';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

const REQUEST: FlagRequest = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
const REPLY = { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: 'https://hooks.slack.com/commands/1' };
const members = membersFrom(MEMBERS);

function counts(): Record<string, number> {
  const count = (table: string) => m.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? -1;
  return { moments: count('moments'), assignments: count('assignments'), deadlines: count('deadlines'), outbox: count('outbox'), seen: count('seen') };
}

describe('recordFlag', () => {
  test('a flag stores the moment, its reviewers, its deadlines and its first notices together', () => {
    // given an empty store; when a crisis moment is flagged
    const outcome = recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0);
    // then it is stored as moment 1 with everything it needs
    expect(outcome).toEqual({ kind: 'flagged', momentId: 1 });
    expect(m.store.moments.get(1)).toMatchObject({ topic: 'crisis', state: { status: 'pending' }, version: 0, dueAt: T0 + 10 * MINUTE });
    expect(m.store.reviews.assignments(1).map((a) => `${a.tier}:${a.role}:${a.userId}`)).toEqual([
      `0:comms:${PEOPLE.cal}`,
      `0:legal:${PEOPLE.leo}`,
      `1:leads:${PEOPLE.lead}`,
      `2:execs:${PEOPLE.boss}`,
    ]);
    expect(m.store.deadlines.openFor(1)).toEqual([
      { kind: 'remind', tier: 0, revision: 1, dueAt: T0 + 5 * MINUTE },
      { kind: 'timeout', tier: 0, revision: 1, dueAt: T0 + 10 * MINUTE },
    ]);
    expect(m.store.outbox.ready(T0, 10).map((r) => [r.notice.kind, r.lane])).toEqual([
      ['post_card', 'card'],
      ['dm_reviewer', `dm:${PEOPLE.cal}`],
      ['dm_reviewer', `dm:${PEOPLE.leo}`],
    ]);
    expect(counts()).toEqual({ moments: 1, assignments: 4, deadlines: 2, outbox: 4, seen: 1 });
  });

  test('the same request key again is a duplicate and stores nothing more', () => {
    // given a flag already recorded under a request key
    recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0);
    // when Slack retries the same request
    const outcome = recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0 + 1000);
    // then it is a duplicate and nothing was added
    expect(outcome).toEqual({ kind: 'duplicate', momentId: undefined });
    expect(counts()).toEqual({ moments: 1, assignments: 4, deadlines: 2, outbox: 4, seen: 1 });
  });

  test('a message flagged twice under different keys points to the first moment', () => {
    const fromMessage: FlagRequest = { ...REQUEST, source: { channel: 'C0SRC', ts: '1.1' } };
    recordFlag(m.store, fromMessage, members, REPLY, 'reaction:1', T0);
    const outcome = recordFlag(m.store, fromMessage, members, REPLY, 'reaction:2', T0 + 1);
    expect(outcome).toEqual({ kind: 'duplicate', momentId: 1 });
    expect(counts().moments).toBe(1);
  });

  describe('the same words flagged again by their flagger', () => {
    test('while the first is open, it points to the first moment and stores nothing, nobody asked twice', () => {
      // given a crisis moment flagged from /moment
      recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0);
      // when the flagger sends the same words again (a new request: a second send from a phone)
      const outcome = recordFlag(m.store, REQUEST, members, REPLY, 'command:T2', T0 + MINUTE);
      // then it is the first moment again: no second moment, card or DM, and the key is not taken
      expect(outcome).toEqual({ kind: 'repeat', momentId: 1 });
      expect(counts()).toEqual({ moments: 1, assignments: 4, deadlines: 2, outbox: 4, seen: 1 });
    });

    test('while the first waits for a revision, it is the same moment too', () => {
      recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0);
      runCommand(m.store, 1, { kind: 'request_changes', actor: actor(PEOPLE.cal), comment: 'softer' }, REPLY, 'action:1', T0 + MINUTE);
      expect(m.store.moments.get(1)?.state.status).toBe('changes_requested');
      expect(recordFlag(m.store, REQUEST, members, REPLY, 'command:T2', T0 + 2 * MINUTE)).toEqual({ kind: 'repeat', momentId: 1 });
    });

    test('once the first has ended, the same words are a new moment', () => {
      recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0);
      runCommand(m.store, 1, { kind: 'withdraw', actor: actor(PEOPLE.flagger) }, REPLY, 'action:1', T0 + MINUTE);
      expect(recordFlag(m.store, REQUEST, members, REPLY, 'command:T2', T0 + 2 * MINUTE)).toEqual({ kind: 'flagged', momentId: 2 });
    });

    test.each([
      ['someone else', { flaggerId: PEOPLE.ana }],
      ['another topic', { topic: topic({ name: 'legalish', channel: 'C0CRISIS', require: { legal: 1 } }) }],
      ['other copy', { content: { ...CONTENT, copy: `${CONTENT.copy} Now.` } }],
      ['another title', { content: { ...CONTENT, title: 'Oreo, take two' } }],
      ['no link', { content: { ...CONTENT, link: undefined } }],
      ['a message of the same words', { source: { channel: 'C0SRC', ts: '1.1' } }],
    ])('%s is a new moment', (_case, change: Partial<FlagRequest>) => {
      recordFlag(m.store, REQUEST, members, REPLY, 'command:T1', T0);
      expect(recordFlag(m.store, { ...REQUEST, ...change }, members, REPLY, 'command:T2', T0 + MINUTE)).toEqual({ kind: 'flagged', momentId: 2 });
    });
  });

  test('a flag nobody can approve is refused before anything is stored', () => {
    const outcome = recordFlag(m.store, REQUEST, membersFrom({}), REPLY, 'command:T1', T0);
    expect(outcome.kind).toBe('refused');
    expect(counts()).toEqual({ moments: 0, assignments: 0, deadlines: 0, outbox: 0, seen: 0 });
  });
});
