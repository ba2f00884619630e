import fc from 'fast-check';
import type { Command } from '../../src/core/decide';
import { isFinal, type MomentView } from '../../src/core/moment';
import { isRequirementMet, currentAssignments, undecidedReviewers } from '../../src/core/policy';
import type { Topic } from '../../src/core/routing-types';
import { loadView } from '../../src/workflow/moment-view';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { sweepDeadlines } from '../../src/workflow/sweep-deadlines';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore } from '../store/store-fixtures';

/**
 * Random lifecycles on the real store: presses (some from a stale card), revisions, withdrawals and sweeps after clock
 * jumps. After every step the deadline, decision-log and notice invariants of DESIGN §5 must hold.
 */

const USERS = [PEOPLE.flagger, PEOPLE.ana, PEOPLE.bea, PEOPLE.cal, PEOPLE.leo, PEOPLE.lead, PEOPLE.boss, PEOPLE.outsider];
const TOPICS: Topic[] = [CRISIS, topic({ require: { brand: 2 }, escalateTo: ['leads', 'execs'] }), topic({ selfApproval: true, require: { brand: 1, comms: 1 } })];

type Op =
  | { t: 'cmd'; kind: 'approve' | 'reject' | 'request_changes' | 'escalate' | 'withdraw' | 'revise'; who: number; stale: boolean }
  | { t: 'sweep'; advance: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('cmd' as const),
    kind: fc.constantFrom('approve' as const, 'reject' as const, 'request_changes' as const, 'escalate' as const, 'withdraw' as const, 'revise' as const),
    who: fc.nat(USERS.length - 1),
    stale: fc.boolean(),
  }),
  fc.record({ t: fc.constant('sweep' as const), advance: fc.constantFrom(0, 1, MINUTE, 3 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, 120 * MINUTE) }),
);

function commandFor(op: Extract<Op, { t: 'cmd' }>, view: MomentView): Command {
  const a = actor(USERS[op.who] ?? PEOPLE.outsider);
  const revision = op.stale ? view.moment.revision - 1 : view.moment.revision;
  switch (op.kind) {
    case 'approve':
      return { kind: 'approve', actor: a, revision, fromTier: view.moment.tier };
    case 'reject':
      return { kind: 'reject', actor: a, reason: 'no', revision, fromTier: view.moment.tier };
    case 'request_changes':
      return { kind: 'request_changes', actor: a, comment: 'shorter', revision, fromTier: view.moment.tier };
    case 'escalate':
      return { kind: 'escalate', actor: a, fromTier: op.stale ? view.moment.tier - 1 : view.moment.tier };
    case 'withdraw':
      return { kind: 'withdraw', actor: a };
    case 'revise':
      return { kind: 'revise', actor: a, content: { ...CONTENT, copy: `v${view.moment.revision + 1}` }, revision };
  }
}

test('random lifecycles keep the deadline and decision invariants', () => {
  fc.assert(
    fc.property(fc.nat(TOPICS.length - 1), fc.array(opArb, { minLength: 1, maxLength: 25 }), (topicIndex, ops) => {
      const { store, db } = memoryStore();
      let lastRow = 0;
      try {
        const t = TOPICS[topicIndex]!;
        const flagged = recordFlag(store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: t, source: undefined }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0X', responseUrl: undefined }, 'flag', T0);
        if (flagged.kind !== 'flagged') return;
        lastRow = db.prepare<[], { id: number }>('SELECT max(id) AS id FROM outbox').get()?.id ?? 0;
        let now = T0;
        let n = 0;
        let before = loadView(store, 1)!;
        for (const op of ops) {
          if (op.t === 'sweep') {
            now += op.advance;
            sweepDeadlines(store, now);
          } else {
            now += 1;
            runCommand(store, 1, commandFor(op, before), { userId: 'U', channel: 'C0X', responseUrl: undefined }, `k${(n += 1)}`, now);
          }
          const after = loadView(store, 1)!;
          const rows = db.prepare<[number], { id: number; payload: string }>('SELECT id, payload FROM outbox WHERE id > ? ORDER BY id').all(lastRow);
          lastRow = rows.at(-1)?.id ?? lastRow;
          const notices = rows.map((r) => JSON.parse(r.payload) as { kind: string; userId?: string; tier?: number; revision?: number; note?: { what: string } });
          const undecided = undecidedReviewers(after);
          for (const n of notices) {
            if (n.kind === 'remind_reviewer') {
              expect(undecided).toContain(n.userId);
              expect([n.tier, n.revision]).toEqual([after.moment.tier, after.moment.revision]);
            }
            if (n.kind === 'dm_reviewer') {
              expect([n.tier, n.revision]).toEqual([after.moment.tier, after.moment.revision]);
              expect(currentAssignments(after).map((a) => a.userId)).toContain(n.userId);
              if (!after.moment.plan.selfApproval) expect(n.userId).not.toBe(PEOPLE.flagger);
            }
          }
          if (isFinal(after.moment.state.status) && !isFinal(before.moment.state.status)) {
            // the flagger hears every outcome but the withdrawal they pressed themselves
            const state = after.moment.state;
            const ownWithdrawal = state.status === 'withdrawn' && state.by === after.moment.flaggerId;
            expect(notices.map((n) => n.kind)).toEqual(expect.arrayContaining(ownWithdrawal ? ['update_card'] : ['update_card', 'notify_flagger']));
            expect(notices.find((n) => n.kind === 'notify_flagger')?.note?.what).toBe(ownWithdrawal ? undefined : state.status);
          }
          if (after.moment.tier !== before.moment.tier || after.moment.revision !== before.moment.revision) {
            expect(notices.map((n) => n.kind)).toEqual(expect.arrayContaining(['update_card', 'thread_note']));
          }
          // decision log is append-only
          expect(after.decisions.slice(0, before.decisions.length)).toEqual(before.decisions);
          // a final moment never changes
          if (isFinal(before.moment.state.status)) expect(after.moment.state).toEqual(before.moment.state);
          const open = store.deadlines.openFor(1);
          expect(after.moment.tier).toBeLessThan(after.moment.plan.tiers.length);
          if (isFinal(after.moment.state.status)) {
            expect(open).toEqual([]);
          } else {
            // exactly one timeout, for the current tier and revision, at the moment's due time
            const timeouts = open.filter((d) => d.kind === 'timeout');
            expect(timeouts).toEqual([{ kind: 'timeout', tier: after.moment.tier, revision: after.moment.revision, dueAt: after.moment.dueAt }]);
            expect(open.filter((d) => d.kind === 'remind').length).toBeLessThanOrEqual(1);
            for (const d of open) expect([d.tier, d.revision]).toEqual([after.moment.tier, after.moment.revision]);
          }
          if (after.moment.state.status === 'approved') {
            expect(isRequirementMet(after)).toBe(true);
            // nobody counted is the flagger, unless self-approval
            const approvers = after.decisions.filter((d) => d.action === 'approve' && d.revision === after.moment.revision && d.tier === after.moment.tier);
            if (!after.moment.plan.selfApproval) expect(approvers.map((d) => d.userId)).not.toContain(PEOPLE.flagger);
            for (const d of approvers) expect(currentAssignments(after).map((a) => a.userId)).toContain(d.userId);
          }
          before = after;
        }
      } finally {
        store.close();
      }
    }),
    { numRuns: 300, seed: 42 },
  );
});
