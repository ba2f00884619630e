import path from 'node:path';
import { backendOps, type BackendOps } from '../../src/backend/backend-ops';
import type { FlagRequest } from '../../src/core/flag';
import { CONTENT, CRISIS, MEMBERS, PEOPLE, T0 } from '../core/fixtures';
import { openDatabase } from '../../src/store/open-database';
import { storeOver } from '../../src/store/store';
import { runCommand } from '../../src/workflow/run-command';
import { memoryStore, tempDir, type MemoryStore } from '../store/store-fixtures';

/** The store operations the Slack listeners use: what each writes, and that a replayed request writes once. */

let m: MemoryStore;
let ops: BackendOps;
beforeEach(() => {
  m = memoryStore();
  ops = backendOps(m.store, () => T0);
});
afterEach(() => {
  m.store.close();
});

const ROLES = new Map(Object.entries(MEMBERS));
const REPLY = { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined };
const SOURCE = { channel: 'C0GENERAL', ts: '1700000000.000100' };
const REACTION = { eventKey: 'event:Ev1', channel: SOURCE.channel, ts: SOURCE.ts, userId: PEOPLE.flagger, receivedAt: T0 };

function count(table: string): number {
  return m.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n ?? -1;
}

test('a flag takes its reviewers from the role snapshot it is given', async () => {
  // given the directory's snapshot; when a crisis moment is flagged
  const request: FlagRequest = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  const outcome = await ops.recordFlag(request, ROLES, REPLY, 'command:T1');
  // then comms and legal review it, from the snapshot
  expect(outcome).toEqual({ kind: 'flagged', momentId: 1 });
  expect(m.store.reviews.assignments(1).filter((a) => a.tier === 0).map((a) => a.userId)).toEqual([PEOPLE.cal, PEOPLE.leo]);
  // and a role missing from the snapshot is a refusal, not a moment nobody can decide
  const nobody = await ops.recordFlag(request, new Map(), REPLY, 'command:T2');
  expect(nobody.kind).toBe('refused');
  expect(count('moments')).toBe(1);
});

test('an answer for a request is queued once, however often the request is replayed', async () => {
  const notice = { kind: 'ephemeral' as const, userId: PEOPLE.ana, channel: 'C0HERE', text: 'not yours' };
  await ops.answerOnce(undefined, 'action:T1', notice);
  await ops.answerOnce(undefined, 'action:T1', notice);
  expect(count('outbox')).toBe(1);
});

test('a flag reaction is taken once, and not at all for a handled event or a message already flagged', async () => {
  expect(await ops.takeReaction(REACTION)).toEqual({ kind: 'new' });
  expect(await ops.takeReaction(REACTION)).toEqual({ kind: 'handled' });
  expect(ops.pendingReactions(10)).toEqual([{ ...REACTION, attempts: 0 }]);

  m.store.seen.remember('event:Ev2', T0);
  expect(await ops.takeReaction({ ...REACTION, eventKey: 'event:Ev2' })).toEqual({ kind: 'handled' });

  const request: FlagRequest = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: SOURCE };
  await ops.recordFlag(request, ROLES, REPLY, 'event:Ev1');
  expect(await ops.takeReaction({ ...REACTION, eventKey: 'event:Ev3' })).toEqual({ kind: 'flagged_already', momentId: 1 });
});

test('an unreadable reaction is counted, then dropped when given up; a handled one is forgotten with its answer', async () => {
  await ops.takeReaction(REACTION);
  await ops.reactionUnreadable(REACTION.eventKey, false);
  expect(ops.pendingReactions(10)[0]?.attempts).toBe(1);
  await ops.reactionUnreadable(REACTION.eventKey, true);
  expect(ops.pendingReactions(10)).toEqual([]);

  // a reaction given up on is handled: a retry of its event is not taken again
  expect(await ops.takeReaction(REACTION)).toEqual({ kind: 'handled' });

  await ops.takeReaction({ ...REACTION, eventKey: 'event:Ev9' });
  const answer = { kind: 'ephemeral' as const, userId: PEOPLE.flagger, channel: SOURCE.channel, text: 'No topic matched.' };
  await ops.forgetReaction('event:Ev9', answer);
  expect(ops.pendingReactions(10)).toEqual([]);
  expect(m.store.outbox.ready(T0, 10).map((r) => r.notice.kind)).toEqual(['ephemeral']);
  // handled twice (the listener and the resume timer both held it): answered once; and a retry is not taken
  await ops.forgetReaction('event:Ev9', answer);
  expect(m.store.outbox.ready(T0, 10).map((r) => r.notice.kind)).toEqual(['ephemeral']);
  expect(await ops.takeReaction({ ...REACTION, eventKey: 'event:Ev9' })).toEqual({ kind: 'handled' });
});

test('a long message kept for the flag form is read back whole', async () => {
  const text = 'x'.repeat(5000);
  await ops.putDraft('draft:T1', text);
  expect(ops.draftText('draft:T1')).toBe(text);
  expect(ops.draftText('draft:T2')).toBeUndefined();
});

test('what is read to be shown comes back as stored: the moment, the open list, the outcomes, the card', async () => {
  const request: FlagRequest = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  await ops.recordFlag(request, ROLES, REPLY, 'command:T1');
  expect((await ops.viewOf(1))?.moment.content.title).toBe(CONTENT.title);
  expect(await ops.viewOf(2)).toBeUndefined();
  expect(await ops.openMomentsFor({ userId: PEOPLE.flagger, channel: 'C0GENERAL', roles: [] }, 5)).toEqual({ newest: [expect.objectContaining({ id: 1 })], total: 1 });
  expect(await ops.openMomentsFor({ userId: PEOPLE.outsider, channel: 'C0GENERAL', roles: [] }, 5)).toEqual({ newest: [], total: 0 });
  expect(await ops.outcomesSince(T0 - 1)).toEqual([{ topic: 'crisis', status: 'pending', createdAt: T0, closedAt: undefined, revisingMs: 0 }]);
  expect(await ops.outcomesSince(T0 + 1)).toEqual([]);
  expect(await ops.cardOf(1)).toBeUndefined();
  m.store.moments.setCard(1, 'C0CRISIS', '1700000000.000200');
  expect(await ops.cardOf(1)).toMatchObject({ channel: 'C0CRISIS', ts: '1700000000.000200' });
});

test('opening the Home tab queues a fresh Home for that person', async () => {
  await ops.publishHome(PEOPLE.ana);
  expect(m.store.outbox.ready(T0, 10).map((r) => r.notice)).toEqual([{ kind: 'publish_home', userId: PEOPLE.ana }]);
});

test('under FULL, what is read to be shown is answered only once the commits it may include are durable', async () => {
  // given a store whose log syncs wait for the test, and a flag committed but not yet synced
  const temp = tempDir();
  const db = openDatabase(path.join(temp.dir, 'greenlight.db'), { synchronous: 'FULL' });
  const held: ((error: Error | null) => void)[] = [];
  const store = storeOver(db, { sync: (done) => held.push(done), close: () => undefined });
  const full = backendOps(store, () => T0);
  try {
    const request: FlagRequest = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
    const flagged = full.recordFlag(request, ROLES, REPLY, 'command:T1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(held).toHaveLength(1);
    // when the moment is read for display
    let answered = 0;
    const reads = [full.viewOf(1), full.openMomentsFor({ userId: PEOPLE.flagger, channel: 'C0GENERAL', roles: [] }, 5), full.outcomesSince(T0 - 1), full.cardOf(1)].map((read) => read.then(() => (answered += 1)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // then nothing is answered while the sync runs, and everything once it is done
    expect(answered).toBe(0);
    for (const done of held.splice(0)) done(null);
    await Promise.all([flagged, ...reads]);
    expect(answered).toBe(4);
  } finally {
    db.close();
    temp.cleanup();
  }
});

test('roster refreshes run one after another, so the roster saved is the one asked for last', async () => {
  // given 201 open moments (two pages of refresh)
  const request: FlagRequest = { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined };
  for (let i = 0; i < 201; i += 1) await ops.recordFlag(request, ROLES, REPLY, `command:T${i}`);
  const roster = (legal: string[]) => ({ members: new Map(Object.entries({ ...MEMBERS, legal })), unread: new Set<string>() });
  // when the start's catch-up reads two pages, a moment closes, and a change heard live reads one page
  const atStart = ops.refreshCards(roster([PEOPLE.leo]), roster([]));
  runCommand(m.store, 1, { kind: 'withdraw', actor: { userId: PEOPLE.flagger, currentRoles: undefined } }, REPLY, 'press:withdraw', T0);
  const live = ops.refreshCards(roster([]), roster([PEOPLE.bea]));
  await Promise.all([atStart, live]);
  // then the live change, asked for last, is the roster saved (run side by side, the longer one would save last)
  expect(m.store.rosterShown.read()).toEqual(roster([PEOPLE.bea]));
});
