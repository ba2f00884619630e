import type { Notice } from '../../src/core/notice';
import { PRUNE_SQL, PRUNE_STRETCH } from '../../src/store/outbox';
import { PEOPLE, T0 } from '../core/fixtures';
import { storeOver } from '../../src/store/store';
import { memoryStore, storedMoment, type MemoryStore } from './store-fixtures';

let m: MemoryStore;
let a: number;
let b: number;
beforeEach(() => {
  m = memoryStore();
  a = storedMoment(m.store).moment.id;
  b = storedMoment(m.store).moment.id;
});
afterEach(() => {
  m.store.close();
});

const POST: Notice = { kind: 'post_card' };
const UPDATE: Notice = { kind: 'update_card' };
const DM_ANA: Notice = { kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' };
const EPHEMERAL: Notice = { kind: 'ephemeral', userId: PEOPLE.outsider, channel: 'C1', text: 'Not yours' };

/** "id:kind" of every ready row. */
function readyAt(now: number, limit = 50): string[] {
  return m.store.outbox.ready(now, limit).map((r) => `${r.id}:${r.notice.kind}`);
}

describe('outbox', () => {
  test('a queued notice comes back ready with its lane, payload and no attempts yet', () => {
    m.store.outbox.enqueue(a, [DM_ANA], T0);
    expect(m.store.outbox.ready(T0, 10)).toEqual([
      { id: 1, momentId: a, lane: `dm:${PEOPLE.ana}`, notice: DM_ANA, attempts: 0, firstAttemptAt: undefined, uncertain: false, createdAt: T0, mark: expect.stringMatching(/^[0-9a-f]{8}$/) },
    ]);
  });

  test('a later row of the same moment and lane waits while an earlier one is open; other lanes and moments do not', () => {
    // given moment a: post card, update card (same lane), a DM; moment b: post card; and an ephemeral with no moment
    m.store.outbox.enqueue(a, [POST, UPDATE, DM_ANA], T0);
    m.store.outbox.enqueue(b, [POST], T0);
    m.store.outbox.enqueue(undefined, [EPHEMERAL], T0);
    // when the ready rows are read, then a's update waits behind a's post
    expect(readyAt(T0)).toEqual(['1:post_card', '3:dm_reviewer', '4:post_card', '5:ephemeral']);
    // and once the post is sent, the update is ready
    m.store.outbox.markSent(1, T0, { channel: 'C0REVIEW', ts: '1.1' });
    expect(readyAt(T0)).toEqual(['2:update_card', '3:dm_reviewer', '4:post_card', '5:ephemeral']);
  });

  test("the flagger's confirmation and the flagged message's replies wait for the card's post only, and hold back nothing of the card's", () => {
    // given moment a: post card, the flagger's confirmation, a reply under the flagged message, then an update of the card
    const CONFIRM: Notice = { kind: 'confirm_flag', userId: PEOPLE.flagger, channel: undefined, responseUrl: 'https://hooks.slack.com/commands/1' };
    const SOURCE: Notice = { kind: 'source_reply', note: { what: 'approve', userId: PEOPLE.ana, role: 'brand', comment: undefined, tier: 0 } };
    m.store.outbox.enqueue(a, [POST, CONFIRM, SOURCE, UPDATE], T0);
    // then only the post is ready while it is open
    expect(readyAt(T0)).toEqual(['1:post_card']);
    // and once it is sent, the confirmation, the reply and the update are all ready
    m.store.outbox.markSent(1, T0, { channel: 'C0REVIEW', ts: '1.1' });
    expect(readyAt(T0)).toEqual(['2:confirm_flag', '3:source_reply', '4:update_card']);
    // and a confirmation retried for a while holds back neither the update nor the reply
    m.store.outbox.scheduleRetry(2, T0 + 60_000, 'http 503', false, T0);
    expect(readyAt(T0)).toEqual(['3:source_reply', '4:update_card']);
  });

  test('an earlier row waiting for its retry still holds back the later rows of its lane', () => {
    // given the card post failed and is retried in 5 seconds
    m.store.outbox.enqueue(a, [POST, UPDATE], T0);
    m.store.outbox.scheduleRetry(1, T0 + 5000, 'http 500', true, T0);
    // then neither row is ready now, and the post is ready (first) when its time comes
    expect(readyAt(T0 + 1)).toEqual([]);
    expect(m.store.outbox.ready(T0 + 5000, 10)).toMatchObject([{ id: 1, attempts: 1, uncertain: true, firstAttemptAt: T0 }]);
    expect(m.store.outbox.nextDueAt()).toBe(T0);
  });

  test('a row failed or skipped no longer blocks its lane, and stats count each outcome', () => {
    m.store.outbox.enqueue(a, [POST, UPDATE, { kind: 'thread_note', note: { what: 'flagged' } }], T0);
    m.store.outbox.markFailed(1, T0, 'channel_not_found');
    m.store.outbox.markSkipped(2, T0, 'no card to update');
    expect(readyAt(T0)).toEqual(['3:thread_note']);
    expect(m.store.outbox.stats()).toEqual({ open: 1, sent: 0, failed: 1, skipped: 1 });
  });

  test('a row not yet due is not ready, and the limit caps how many come back', () => {
    m.store.outbox.enqueue(undefined, [EPHEMERAL, EPHEMERAL, EPHEMERAL], T0 + 100);
    expect(readyAt(T0 + 99)).toEqual([]);
    expect(readyAt(T0 + 100, 2)).toEqual(['1:ephemeral', '2:ephemeral']);
  });

  test('claiming a row to post it makes it uncertain and records the first attempt once', () => {
    // given a queued post
    m.store.outbox.enqueue(a, [POST], T0);
    // when it is claimed for posting twice
    m.store.outbox.claim(1, 'worker-a', T0 + 10, T0 + 15, true);
    m.store.outbox.claim(1, 'worker-a', T0 + 20, T0 + 25, true);
    // then the next attempt knows the post may have landed, since the first try
    expect(m.store.outbox.ready(T0 + 30, 10)).toMatchObject([{ id: 1, uncertain: true, firstAttemptAt: T0 + 10, attempts: 0 }]);
  });

  test('claiming a row that is not a post leaves it certain', () => {
    m.store.outbox.enqueue(a, [UPDATE], T0);
    m.store.outbox.claim(1, 'worker-a', T0 + 10, T0 + 15);
    expect(m.store.outbox.ready(T0 + 30, 10)).toMatchObject([{ id: 1, uncertain: false, firstAttemptAt: undefined }]);
  });

  test('a card update is redundant while a later update of the same moment is queued', () => {
    m.store.outbox.enqueue(a, [UPDATE, DM_ANA, UPDATE], T0);
    m.store.outbox.enqueue(b, [UPDATE], T0);
    const rows = m.store.outbox.ready(T0, 10);
    expect(rows.map((r) => [r.id, m.store.outbox.hasLaterOfKind(r)])).toEqual([
      [1, true],
      [2, false],
      [4, false],
    ]);
  });

  test('rows carry the mark of the process that queued them: a later opening of the database marks its rows apart', () => {
    // given rows queued by this opening, and one queued by a later opening of the same database (a restart, a restore)
    m.store.outbox.enqueue(a, [POST, UPDATE], T0);
    const later = storeOver(m.db);
    later.outbox.enqueue(b, [POST], T0);
    // then the first two share a mark, and the later one has another (rows queued before marks have none: see post-once)
    const marks = m.db.prepare<[], { mark: string }>('SELECT mark FROM outbox ORDER BY id').all().map((r) => r.mark);
    expect(marks[0]).toBe(marks[1]);
    expect(marks[2]).not.toBe(marks[0]);
  });

  test("a card's post knows whether an update was queued after it (one to name the reviewers is then not needed)", () => {
    m.store.outbox.enqueue(a, [POST, DM_ANA], T0);
    m.store.outbox.enqueue(b, [POST, UPDATE], T0);
    const [postA, , postB] = m.store.outbox.ready(T0, 10);
    expect(m.store.outbox.hasLaterOfKind(postA!, 'update_card')).toBe(false);
    expect(m.store.outbox.hasLaterOfKind(postB!, 'update_card')).toBe(true);
    expect(m.store.outbox.hasLaterOfKind(postB!)).toBe(false);
  });

  test('a row claimed by one worker is not ready for another until the lease ends or the claim is released', () => {
    m.store.outbox.enqueue(a, [DM_ANA], T0);
    expect(m.store.outbox.claim(1, 'worker-a', T0, T0 + 30_000)).toBe(true);
    expect(m.store.outbox.claim(1, 'worker-b', T0 + 1, T0 + 30_001)).toBe(false);
    expect(readyAt(T0 + 1)).toEqual([]);
    // A claimed row is not waited for: the holder finishes it, or the poll finds it once the lease runs out.
    expect(m.store.outbox.nextDueAt()).toBeUndefined();
    // The holder may extend its own claim; a stranger's release does nothing.
    expect(m.store.outbox.claim(1, 'worker-a', T0 + 2, T0 + 40_000)).toBe(true);
    m.store.outbox.release(1, 'worker-b');
    expect(readyAt(T0 + 30_001)).toEqual([]);
    expect(readyAt(T0 + 40_001)).toEqual(['1:dm_reviewer']);
    m.store.outbox.release(1, 'worker-a');
    expect(readyAt(T0 + 3)).toEqual(['1:dm_reviewer']);
  });

  test('a claim of a row as read fails once another worker has tried it since, or before it is due again', () => {
    m.store.outbox.enqueue(a, [POST], T0);
    const [asRead] = m.store.outbox.ready(T0, 10);
    if (!asRead) throw new Error('no row');
    // worker-b posts it and loses the answer: a retry, due 5 s later, marked as possibly posted
    expect(m.store.outbox.claim(asRead.id, 'worker-b', T0, T0 + 30_000, true, asRead)).toBe(true);
    m.store.outbox.scheduleRetry(asRead.id, T0 + 5_000, 'timeout', true, T0 + 1);
    // worker-a's copy, read before that, cannot be claimed: not yet due, and then tried since it was read
    expect(m.store.outbox.claim(asRead.id, 'worker-a', T0 + 2, T0 + 30_002, true, asRead)).toBe(false);
    expect(m.store.outbox.claim(asRead.id, 'worker-a', T0 + 6_000, T0 + 36_000, true, asRead)).toBe(false);
    // read again, it is claimed, and knows the post may have landed
    const [fresh] = m.store.outbox.ready(T0 + 6_000, 10);
    expect(fresh).toMatchObject({ id: asRead.id, uncertain: true, attempts: 1 });
    expect(m.store.outbox.claim(asRead.id, 'worker-a', T0 + 6_000, T0 + 36_000, true, fresh)).toBe(true);
  });

  test('a worker renews only a claim it still holds: not one another worker took after it lapsed, nor a row given back or done', () => {
    m.store.outbox.enqueue(a, [DM_ANA, EPHEMERAL, POST], T0);
    // row 1: held by worker-a, lapsed but taken by nobody; renewing it holds it again
    m.store.outbox.claim(1, 'worker-a', T0, T0 + 30_000);
    expect(m.store.outbox.renew(1, 'worker-a', T0 + 65_000)).toBe(true);
    expect(m.store.outbox.claim(1, 'worker-b', T0 + 40_000, T0 + 70_000)).toBe(false);
    expect(m.store.outbox.holds(1, 'worker-a')).toBe(true);
    // row 2: lapsed and taken by worker-b; worker-a can neither renew nor record it
    m.store.outbox.claim(2, 'worker-a', T0, T0 + 30_000);
    m.store.outbox.claim(2, 'worker-b', T0 + 30_001, T0 + 60_001);
    expect(m.store.outbox.renew(2, 'worker-a', T0 + 65_000)).toBe(false);
    expect(m.store.outbox.holds(2, 'worker-a')).toBe(false);
    expect(m.store.outbox.claimers(T0 + 60_001)).toEqual(['worker-a', 'worker-b']);
    // row 3: given back after a retry, then done; neither is renewed
    m.store.outbox.claim(3, 'worker-a', T0, T0 + 30_000);
    m.store.outbox.scheduleRetry(3, T0 + 5, 'http 500', true, T0);
    expect(m.store.outbox.renew(3, 'worker-a', T0 + 65_000)).toBe(false);
    m.store.outbox.claim(3, 'worker-a', T0 + 5, T0 + 30_005);
    m.store.outbox.markSent(3, T0 + 6);
    expect(m.store.outbox.renew(3, 'worker-a', T0 + 65_000)).toBe(false);
    expect(m.store.outbox.holds(3, 'worker-a')).toBe(false);
  });

  test('the claimers of open rows are listed while their leases run, and all claims of one are given back at once', () => {
    m.store.outbox.enqueue(a, [DM_ANA, EPHEMERAL], T0);
    m.store.outbox.claim(1, 'host/1/5/gone', T0, T0 + 30_000);
    m.store.outbox.claim(2, 'host/1/5/gone', T0, T0 + 30_000);
    expect(m.store.outbox.claimers(T0 + 1)).toEqual(['host/1/5/gone']);
    expect(m.store.outbox.claimers(T0 + 30_001)).toEqual([]);
    expect(m.store.outbox.releaseAllOf('someone-else')).toBe(0);
    expect(m.store.outbox.releaseAllOf('host/1/5/gone')).toBe(2);
    expect(readyAt(T0 + 1)).toEqual(['1:dm_reviewer', '2:ephemeral']);
    expect(m.store.outbox.claimers(T0 + 1)).toEqual([]);
  });

  test('recording a retry or a result gives the claim back', () => {
    m.store.outbox.enqueue(a, [DM_ANA, EPHEMERAL], T0);
    m.store.outbox.claim(1, 'worker-a', T0, T0 + 30_000);
    m.store.outbox.scheduleRetry(1, T0 + 5, 'http 500', true, T0);
    expect(m.store.outbox.claim(1, 'worker-b', T0 + 5, T0 + 30_005)).toBe(true);
    m.store.outbox.markSent(1, T0 + 6);
    expect(m.store.outbox.stats()).toMatchObject({ open: 1, sent: 1 });
  });

  test('finished rows older than the cut-off are pruned; open ones stay', () => {
    m.store.outbox.enqueue(a, [POST, UPDATE], T0);
    m.store.outbox.markSent(1, T0 + 10);
    expect(m.store.outbox.pruneDone(T0 + 11)).toEqual({ forgotten: 1, next: undefined });
    expect(m.store.outbox.stats()).toEqual({ open: 1, sent: 0, failed: 0, skipped: 0 });
  });

  test('pruning walks the oldest rows a stretch at a time, past old open rows, and stops at a stretch of newer rows', () => {
    // given rows 1-5 written at T0 (row 3 still open, the others finished at T0 + 10), then rows 6-9 written at T0 + 100
    m.store.outbox.enqueue(a, [DM_ANA, DM_ANA, POST, DM_ANA, DM_ANA], T0);
    for (const id of [1, 2, 4, 5]) m.store.outbox.markSent(id, T0 + 10);
    m.store.outbox.enqueue(b, [DM_ANA, DM_ANA, DM_ANA, DM_ANA], T0 + 100);
    m.store.outbox.markSent(6, T0 + 101);
    const cutOff = T0 + 50;
    // when pruned two rows at a time, then each stretch forgets its finished old rows and says where to go on
    expect(m.store.outbox.pruneDone(cutOff, 0, 2)).toEqual({ forgotten: 2, next: 2 });
    expect(m.store.outbox.pruneDone(cutOff, 2, 2)).toEqual({ forgotten: 1, next: 4 });
    expect(m.store.outbox.pruneDone(cutOff, 4, 2)).toEqual({ forgotten: 1, next: 6 });
    // and a stretch holding only rows written after the cut-off ends the walk: rows 6-9 are not the prune's
    expect(m.store.outbox.pruneDone(cutOff, 6, 2)).toEqual({ forgotten: 0, next: undefined });
    expect(m.store.outbox.stats()).toEqual({ open: 4, sent: 1, failed: 0, skipped: 0 });
    // and a new prune starting over reads the open row 3 again and never forgets it
    expect(m.store.outbox.pruneDone(cutOff, 0, 2)).toEqual({ forgotten: 0, next: 6 });
    expect(m.store.outbox.pruneDone(T0 + 200, 0, 10)).toEqual({ forgotten: 1, next: undefined });
    expect(m.store.outbox.stats()).toEqual({ open: 4, sent: 0, failed: 0, skipped: 0 });
  });

  test('a row dated ahead of the rows after it (a clock stepped back) does not stop the prune before them', () => {
    // given rows 1-2 written at T0, row 3 dated a day ahead, rows 4-6 written at T0 again; all finished at T0 + 10
    m.store.outbox.enqueue(a, [DM_ANA, DM_ANA], T0);
    m.store.outbox.enqueue(a, [DM_ANA], T0 + 86_400_000);
    m.store.outbox.enqueue(b, [DM_ANA, DM_ANA, DM_ANA], T0);
    for (let id = 1; id <= 6; id += 1) m.store.outbox.markSent(id, T0 + 10);
    // when pruned two rows at a time until the walk ends
    let after: number | undefined = 0;
    let forgotten = 0;
    while (after !== undefined) {
      const stretch = m.store.outbox.pruneDone(T0 + 50, after, 2);
      forgotten += stretch.forgotten;
      after = stretch.next;
    }
    // then the rows after the one dated ahead are forgotten too (and it, finished before the cut-off, with them), all
    // but the newest
    expect(forgotten).toBe(5);
    expect(m.store.outbox.stats()).toEqual({ open: 0, sent: 1, failed: 0, skipped: 0 });
  });

  test('the newest row is never pruned, so an outbox emptied by a quiet week never hands out an id again', () => {
    // given three rows, all delivered long ago
    m.store.outbox.enqueue(a, [POST, UPDATE, DM_ANA], T0);
    for (const id of [1, 2, 3]) m.store.outbox.markSent(id, T0 + 10);
    // when pruned
    expect(m.store.outbox.pruneDone(T0 + 1_000_000)).toEqual({ forgotten: 2, next: undefined });
    // then the next row's id follows the last one's (a post of row 1 or 2 still carries its id in Slack)
    m.store.outbox.enqueue(a, [UPDATE], T0 + 1_000_001);
    expect(m.store.outbox.ready(T0 + 1_000_001, 10).map((r) => r.id)).toEqual([4]);
  });

  test("a prune stretch reads rows by id range (the table's own order), never a scan of the whole outbox", () => {
    const plan = (sql: string, values: Record<string, number>) =>
      m.db
        .prepare<[Record<string, number>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(values)
        .map((r) => r.detail)
        .join(' | ');
    const stretch = plan(PRUNE_SQL.stretch, { after: 10, before: 5, limit: PRUNE_STRETCH });
    const forget = plan(PRUNE_SQL.forget, { after: 10, upTo: 2010, before: 5 });
    for (const detail of [stretch, forget]) expect(detail).toMatch(/SEARCH outbox USING INTEGER PRIMARY KEY \(rowid>\?/);
    expect(`${stretch} | ${forget}`).not.toMatch(/SCAN outbox/);
  });
});

describe('outbox indexes', () => {
  test('every index on the outbox has a reader: the worker queries search them, and no other index is written for nothing', () => {
    const plan = (sql: string) =>
      m.db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail);
    // given the worker's three queries (ready rows, next due time, a later card update)
    const ready = plan(`SELECT o.id FROM outbox o WHERE o.done_at IS NULL AND o.id > 0 AND o.next_attempt_at <= 1
      AND (o.claimed_until IS NULL OR o.claimed_until < 1)
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.done_at IS NULL AND p.moment_id = o.moment_id AND p.lane = o.lane AND p.id < o.id)
      ORDER BY o.id LIMIT 300`);
    const nextDue = plan('SELECT MIN(next_attempt_at) FROM outbox WHERE done_at IS NULL AND claimed_until IS NULL');
    const laterUpdate = plan("SELECT id FROM outbox WHERE done_at IS NULL AND moment_id = 1 AND id > 1 AND kind = 'update_card' LIMIT 1");
    // then each searches an index of open rows, never scans
    expect([...ready, ...nextDue, ...laterUpdate].join(' | ')).not.toMatch(/SCAN/);
    const used = new Set([...ready, ...nextDue, ...laterUpdate].flatMap((d) => /USING INDEX (\w+)/.exec(d)?.[1] ?? []));
    const indexes = m.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL")
      .all()
      .map((r) => r.name);
    expect(new Set(indexes)).toEqual(used);
  });
});

describe('outbox lane follow-up and re-reads', () => {
  test('nextInLane gives the row after a finished one in its lane, only when it is due and unclaimed', () => {
    // given a's card lane holding a post then an update, and b's card lane a post
    m.store.outbox.enqueue(a, [POST, UPDATE], T0);
    m.store.outbox.enqueue(b, [POST], T0);
    // when a's post is done
    m.store.outbox.markSent(1, T0 + 1);
    // then the update follows it; b's lane is not a's
    expect(m.store.outbox.nextInLane(a, 'card', 1, T0 + 1).map((r) => r.id)).toEqual([2]);
    expect(m.store.outbox.nextInLane(a, 'card', 2, T0 + 1)).toEqual([]);
    // and a claimed or not yet due follower is not offered
    expect(m.store.outbox.claim(2, 'other', T0 + 1, T0 + 30_000)).toBe(true);
    expect(m.store.outbox.nextInLane(a, 'card', 1, T0 + 2)).toEqual([]);
    m.store.outbox.scheduleRetry(2, T0 + 5000, 'timeout', true, T0 + 2);
    expect(m.store.outbox.nextInLane(a, 'card', 1, T0 + 3)).toEqual([]);
    expect(m.store.outbox.nextInLane(a, 'card', 1, T0 + 5000)).toMatchObject([{ id: 2, attempts: 1, uncertain: true }]);
  });

  test("a card update passes the thread replies before it in the lane, never the card's post; its thread replies keep their order", () => {
    // given a's card lane: its post, then two changes, each an update and a thread reply
    const approvedNote: Notice = { kind: 'thread_note', note: { what: 'approved', userId: PEOPLE.ana, comment: undefined } };
    m.store.outbox.enqueue(a, [POST, UPDATE, approvedNote, UPDATE, approvedNote], T0);
    // then nothing but the post goes before it is done
    expect(readyAt(T0)).toEqual(['1:post_card']);
    // when the post and the first update are done, the first reply and the second update go (followed from the
    // update that finished, too), and the second reply waits for both
    m.store.outbox.markSent(1, T0, { channel: 'C0REVIEW', ts: '1.1' });
    m.store.outbox.markSent(2, T0);
    expect(readyAt(T0)).toEqual(['3:thread_note', '4:update_card']);
    expect(m.store.outbox.nextInLane(a, 'card', 2, T0).map((r) => r.id)).toEqual([3, 4]);
  });

  test("a reviewer's DM update passes a reminder not tried yet, not one tried (it may have landed), nor a first review DM", () => {
    const remind: Notice = { kind: 'remind_reviewer', userId: PEOPLE.ana };
    const update: Notice = { kind: 'update_dm', userId: PEOPLE.ana };
    m.store.outbox.enqueue(a, [DM_ANA, remind, update], T0);
    expect(readyAt(T0)).toEqual(['1:dm_reviewer']);
    m.store.outbox.markSent(1, T0, { channel: 'D0ANA', ts: '1.1' });
    expect(readyAt(T0)).toEqual(['2:remind_reviewer', '3:update_dm']);
    // once the reminder is claimed (a post: it may land), the update waits for it
    expect(m.store.outbox.claim(2, 'worker-a', T0, T0 + 30_000, true)).toBe(true);
    expect(readyAt(T0 + 1)).toEqual([]);
  });

  test("the flagger's request update passes a reminder not tried yet, not another note", () => {
    const askedNote = { what: 'request_changes', userId: PEOPLE.bea, role: 'brand', comment: 'Softer', tier: 1 } as const;
    const reminder: Notice = { kind: 'notify_flagger', note: askedNote, revision: 0, reminder: true };
    const outcome: Notice = { kind: 'notify_flagger', note: { what: 'approved', userId: PEOPLE.ana, comment: undefined } };
    const update: Notice = { kind: 'update_flagger_note', revision: 0 };
    m.store.outbox.enqueue(a, [reminder, update], T0);
    m.store.outbox.enqueue(b, [outcome, update], T0);
    expect(readyAt(T0)).toEqual(['1:notify_flagger', '2:update_flagger_note', '3:notify_flagger']);
  });

  test('openRow reads one row again, fresh, while it is open, due and unclaimed', () => {
    m.store.outbox.enqueue(a, [POST], T0);
    m.store.outbox.scheduleRetry(1, T0 + 100, 'timeout', true, T0);
    expect(m.store.outbox.openRow(1, T0 + 99)).toBeUndefined();
    expect(m.store.outbox.openRow(1, T0 + 100)).toMatchObject({ id: 1, attempts: 1, uncertain: true });
    m.store.outbox.markSent(1, T0 + 101);
    expect(m.store.outbox.openRow(1, T0 + 200)).toBeUndefined();
  });
});

describe('rows an older Greenlight queued in the card lane', () => {
  test("a reply under the flagged message queued after an upgrade waits for the one queued before it", () => {
    // given moment a flagged by the Greenlight before the upgrade: its card posted, the confirmation and the reply
    // "flagged for review" under the flagged message still open in the card lane, the confirmation retried for a while
    const insert = m.db.prepare('INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    const old = (notice: Notice) => insert.run(a, 'card', notice.kind, JSON.stringify(notice), T0, T0);
    old(POST);
    old({ kind: 'confirm_flag', userId: PEOPLE.flagger, channel: undefined, responseUrl: 'https://hooks.slack.com/commands/1' });
    old({ kind: 'source_reply', note: { what: 'flagged' } });
    m.store.outbox.markSent(1, T0, { channel: 'C0REVIEW', ts: '1.1' });
    m.store.outbox.scheduleRetry(2, T0 + 10 * 60_000, 'http 503', false, T0);
    // when, after the upgrade, it is approved
    m.store.outbox.enqueue(a, [{ kind: 'source_reply', note: { what: 'approved', userId: undefined, comment: undefined } }], T0 + 60_000);
    // then the thread of the flagged message does not read "approved" before "flagged for review"
    expect(readyAt(T0 + 60_000)).not.toContain('4:source_reply');
  });

  test('one the older Greenlight queues after the upgrade waits for one of its kind this version holds in its own lane', () => {
    // given a reply "flagged for review" in the new lane, retried for a while, its card posted
    m.store.outbox.enqueue(a, [POST, { kind: 'source_reply', note: { what: 'flagged' } }], T0);
    m.store.outbox.markSent(1, T0, { channel: 'C0REVIEW', ts: '1.1' });
    m.store.outbox.scheduleRetry(2, T0 + 10 * 60_000, 'http 503', false, T0);
    // when the older Greenlight, not stopped yet, queues the outcome's reply in the card lane
    const approved: Notice = { kind: 'source_reply', note: { what: 'approved', userId: undefined, comment: undefined } };
    m.db.prepare("INSERT INTO outbox (moment_id, lane, kind, payload, next_attempt_at, created_at) VALUES (?, 'card', ?, ?, ?, ?)").run(a, approved.kind, JSON.stringify(approved), T0, T0);
    // then it waits for the first, whether read in a pass or followed from the card's post
    expect(readyAt(T0 + 60_000)).not.toContain('3:source_reply');
    expect(m.store.outbox.nextInLane(a, 'card', 1, T0 + 60_000)).toEqual([]);
  });
});
