import type { Command } from '../../src/core/decide';
import type { Store } from '../../src/store/store';
import { ConcurrentChange } from '../../src/workflow/moment-view';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { actor, CONTENT, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
  const flag = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: topic(), source: undefined };
  recordFlag(m.store, flag, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
  // Only what the commands queue matters below.
  m.db.prepare('DELETE FROM outbox').run();
});
afterEach(() => {
  m.store.close();
});

const NOW = T0 + MINUTE;
const APPROVE_ANA: Command = { kind: 'approve', actor: actor(PEOPLE.ana) };

function queued(store: Store = m.store): string[] {
  return store.outbox.ready(NOW + 1, 50).map((r) => JSON.stringify(r.notice));
}

describe('runCommand', () => {
  test('an approval is stored with its decision, the closed deadlines and the notices, in one go', () => {
    // given a pending moment needing one brand approval
    const replyTo = { userId: PEOPLE.ana, channel: 'C0REVIEW', responseUrl: 'https://hooks.slack.com/actions/1' };
    // when ana approves
    const outcome = runCommand(m.store, 1, APPROVE_ANA, replyTo, 'action:1', NOW);
    // then the moment is approved at version 1, the log has her line, no deadline is open and the card update is queued first
    expect(outcome.kind).toBe('done');
    expect(m.store.moments.get(1)).toMatchObject({ state: { status: 'approved', by: PEOPLE.ana }, version: 1 });
    expect(m.store.reviews.decisions(1).map((d) => [d.action, d.userId])).toEqual([['approve', PEOPLE.ana]]);
    expect(m.store.deadlines.openFor(1)).toEqual([]);
    expect(m.store.outbox.ready(NOW, 50).map((r) => r.notice.kind)).toEqual(['update_card', 'update_dm', 'notify_flagger', 'update_dm']);
  });

  test('a refusal queues exactly one answer to the person, through the response_url when there is one', () => {
    // given a pending moment; when an outsider presses Approve from a message with a response_url
    const replyTo = { userId: PEOPLE.outsider, channel: 'C0REVIEW', responseUrl: 'https://hooks.slack.com/actions/2' };
    const outcome = runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.outsider) }, replyTo, 'action:2', NOW);
    // then it is refused, nothing is recorded, and one respond notice is queued
    const message = 'This one is not yours to decide: only the reviewers assigned to this moment can approve or reject it.';
    expect(outcome).toEqual({ kind: 'refused', code: 'not_reviewer', message });
    expect(queued()).toEqual([JSON.stringify({ kind: 'respond', responseUrl: replyTo.responseUrl, text: message })]);
    expect(m.store.reviews.decisions(1)).toEqual([]);
    expect(m.store.moments.get(1)?.version).toBe(0);
  });

  test('a refusal without a response_url is answered as an ephemeral in the channel', () => {
    const replyTo = { userId: PEOPLE.outsider, channel: 'C0REVIEW', responseUrl: undefined };
    runCommand(m.store, 1, { kind: 'withdraw', actor: actor(PEOPLE.outsider) }, replyTo, 'action:3', NOW);
    expect(queued()).toEqual([
      JSON.stringify({ kind: 'ephemeral', userId: PEOPLE.outsider, channel: 'C0REVIEW', text: 'Only the person who flagged this moment can withdraw it.' }),
    ]);
  });

  test('a replay of the same request key does nothing at all', () => {
    // given a refused press already answered
    const replyTo = { userId: PEOPLE.outsider, channel: 'C0REVIEW', responseUrl: undefined };
    runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.outsider) }, replyTo, 'action:4', NOW);
    // when Slack replays it, and then ana's approval is replayed too
    const replay = runCommand(m.store, 1, { kind: 'approve', actor: actor(PEOPLE.outsider) }, replyTo, 'action:4', NOW + 1);
    runCommand(m.store, 1, APPROVE_ANA, replyTo, 'action:5', NOW + 2);
    const approvalReplay = runCommand(m.store, 1, APPROVE_ANA, replyTo, 'action:5', NOW + 3);
    // then both replays are duplicates: still one answer to the outsider and one approval
    expect([replay, approvalReplay]).toEqual([{ kind: 'duplicate' }, { kind: 'duplicate' }]);
    expect(queued().filter((n) => n.includes('"ephemeral"'))).toHaveLength(1);
    expect(m.store.reviews.decisions(1)).toHaveLength(1);
  });

  test('a moment that does not exist is answered, with no moment attached', () => {
    const replyTo = { userId: PEOPLE.ana, channel: undefined, responseUrl: 'https://hooks.slack.com/actions/9' };
    const outcome = runCommand(m.store, 42, APPROVE_ANA, replyTo, 'action:6', NOW);
    expect(outcome).toEqual({ kind: 'refused', code: 'not_found', message: 'That moment no longer exists.' });
    expect(m.store.outbox.ready(NOW, 10).map((r) => [r.momentId, r.notice.kind])).toEqual([[undefined, 'respond']]);
  });

  test('when the moment keeps changing under it, the command gives up and rolls everything back', () => {
    // given a store whose compare-and-set always loses
    const losing: Store = { ...m.store, moments: { ...m.store.moments, save: () => false } };
    // when ana approves
    const run = () => runCommand(losing, 1, APPROVE_ANA, { userId: PEOPLE.ana, channel: 'C0REVIEW', responseUrl: undefined }, 'action:7', NOW);
    // then it throws after its retries, and neither the decision, the notices, the deadline change nor the key were kept
    expect(run).toThrow(ConcurrentChange);
    expect(m.store.reviews.decisions(1)).toEqual([]);
    expect(m.store.outbox.stats().open).toBe(0);
    expect(m.store.deadlines.openFor(1)).toHaveLength(2);
    expect(m.store.seen.has('action:7')).toBe(false);
  });
});
