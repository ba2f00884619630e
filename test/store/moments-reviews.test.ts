import type { DecisionRecord, Moment } from '../../src/core/moment';
import { EXPIRED_BY_SOURCE_SQL, OPEN_IDS_SQL, VISIBLE_OPEN_SQL } from '../../src/store/moments';
import { CONTENT, CRISIS, flagged, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore, storedMoment, type MemoryStore } from './store-fixtures';

let m: MemoryStore;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => {
  m.store.close();
});

const DECISION: DecisionRecord = { userId: PEOPLE.ana, role: 'brand', action: 'approve', comment: undefined, revision: 1, tier: 0, at: T0 + MINUTE };

describe('moments', () => {
  test('a stored moment reads back exactly as it went in, at version 0', () => {
    // given a flagged moment from a message
    const view = flagged(CRISIS, { source: { channel: 'C0SRC', ts: '1700000000.000100' } });
    // when it is stored and read back
    const stored = storedMoment(m.store, view);
    // then every field survives, the id is assigned and the version starts at 0
    expect(stored.moment).toEqual({ ...view.moment, id: 1, version: 0, stamp: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(m.store.moments.idForSource('C0SRC', '1700000000.000100')).toBe(1);
    expect(m.store.moments.idForSource('C0SRC', '1700000000.000200')).toBeUndefined();
  });

  test('insert returns the moment exactly as a later read returns it', () => {
    // given a flagged moment from a message, with a link
    const { id: _id, version: _version, ...moment } = flagged(CRISIS, { source: { channel: 'C0SRC', ts: '1700000000.000100' } }).moment;
    // when it is inserted
    const returned = m.store.moments.insert({ ...moment, content: { ...moment.content, link: 'https://example.com/post' } });
    // then what insert returned (a flag's first notices are built from it) is what the store holds
    expect(m.store.moments.get(returned.id)).toStrictEqual(returned);
  });

  test('insert returns a moment without source or link (a /moment flag) exactly as stored', () => {
    // given a quick flag's moment: no source message, no link
    const { id: _id, version: _version, ...moment } = flagged().moment;
    // when it is inserted
    const returned = m.store.moments.insert({ ...moment, source: undefined, content: { ...moment.content, link: undefined } });
    // then a later read returns the same moment
    expect(m.store.moments.get(returned.id)).toStrictEqual(returned);
  });

  test('insert refuses a moment that is not pending, and stores nothing', () => {
    // given a moment already approved
    const { id: _id, version: _version, ...moment } = flagged().moment;
    // when it is inserted
    const insert = () => m.store.moments.insert({ ...moment, state: { status: 'approved', by: PEOPLE.ana, comment: undefined, at: T0 } });
    // then it is refused: the row would have been written pending
    expect(insert).toThrow('a new moment starts pending');
    expect(m.store.moments.get(1)).toBeUndefined();
  });

  test('save writes over the version it read and bumps it', () => {
    // given a stored moment at version 0
    const { moment } = storedMoment(m.store);
    // when it is saved rejected at version 0
    const rejected: Moment = { ...moment, state: { status: 'rejected', by: PEOPLE.ana, comment: 'Off brand', at: T0 + MINUTE } };
    // then the write lands and the stored moment is rejected at version 1
    expect(m.store.moments.save(rejected, T0 + MINUTE)).toBe(true);
    expect(m.store.moments.get(moment.id)).toEqual({ ...rejected, version: 1 });
  });

  test('save on a stale version returns false and changes nothing', () => {
    // given a moment someone else already saved (version 1)
    const { moment } = storedMoment(m.store);
    const theirs: Moment = { ...moment, tier: 1, dueAt: T0 + 60 * MINUTE };
    expect(m.store.moments.save(theirs, T0 + 1)).toBe(true);
    // when another writer saves what it read at version 0
    const mine: Moment = { ...moment, state: { status: 'withdrawn', by: PEOPLE.flagger, comment: undefined, at: T0 + 2 } };
    // then the write is refused and the first writer's moment stays
    expect(m.store.moments.save(mine, T0 + 2)).toBe(false);
    expect(m.store.moments.get(moment.id)).toEqual({ ...theirs, version: 1 });
  });

  test('given the moment as read, save writes only what changed, and reads back exactly as a full save would', () => {
    // given a stored moment, and the same moment in a second store
    const { moment } = storedMoment(m.store);
    const other = memoryStore();
    storedMoment(other.store);
    // (each store gives its moment a random stamp: the same one here, so the two rows compare whole)
    other.db.prepare('UPDATE moments SET stamp = ? WHERE id = ?').run(moment.stamp, moment.id);
    try {
      const steps: Moment[] = [
        { ...moment, tier: 1, dueAt: T0 + 60 * MINUTE },
        { ...moment, tier: 1, dueAt: T0 + 60 * MINUTE, state: { status: 'changes_requested', by: PEOPLE.bea, comment: 'Shorter' } },
        { ...moment, tier: 1, revision: 2, dueAt: T0 + 90 * MINUTE, content: { ...CONTENT, copy: 'New', link: undefined, urgency: 'high' }, state: { status: 'pending' } },
        { ...moment, tier: 1, revision: 2, dueAt: T0 + 90 * MINUTE, content: { ...CONTENT, copy: 'New', link: undefined, urgency: 'high' }, state: { status: 'approved', by: PEOPLE.lead, comment: 'Go', at: T0 + 95 * MINUTE } },
      ];
      // (which column groups an update writes: a trigger fires when its column is set, changed or not)
      m.db.exec('CREATE TEMP TABLE written (step INTEGER, grp TEXT)');
      for (const [group, column] of [['content', 'title'], ['state', 'status'], ['progress', 'tier']]) {
        m.db.exec(`CREATE TEMP TRIGGER written_${group} AFTER UPDATE OF ${column} ON moments BEGIN INSERT INTO written VALUES (NEW.version, '${group}'); END`);
      }
      let read = moment;
      for (const [i, step] of steps.entries()) {
        // when each step is saved over the version read, narrowly here and whole in the other store
        const next = { ...step, version: i };
        expect(m.store.moments.save(next, T0 + i, read)).toBe(true);
        expect(other.store.moments.save(next, T0 + i)).toBe(true);
        // then both stores hold the same moment, and the updated time and version moved on in both
        read = { ...next, version: i + 1 };
        expect(m.store.moments.get(moment.id)).toEqual(read);
        expect(other.store.moments.get(moment.id)).toEqual(read);
        const row = `SELECT * FROM moments WHERE id = ${moment.id}`;
        expect(m.db.prepare(row).get()).toEqual(other.db.prepare(row).get());
      }
      // and each save wrote only the groups that changed from the moment as read
      const written = m.db.prepare<[], { step: number; groups: string }>('SELECT step, group_concat(grp) AS groups FROM (SELECT * FROM written ORDER BY step, grp) GROUP BY step').all();
      expect(written).toEqual([
        { step: 1, groups: 'progress' },
        { step: 2, groups: 'state' },
        { step: 3, groups: 'content,progress,state' },
        { step: 4, groups: 'state' },
      ]);
      // and a narrow save over a stale version is refused like a full one
      expect(m.store.moments.save({ ...moment, tier: 2 }, T0 + 9, moment)).toBe(false);
      expect(m.store.moments.get(moment.id)).toEqual(read);
    } finally {
      other.store.close();
    }
  });

  test('a save given a moment read at another version is refused before anything is written', () => {
    // given a moment saved once (version 1), and the moment as first read (version 0)
    const { moment } = storedMoment(m.store);
    expect(m.store.moments.save({ ...moment, tier: 1 }, T0 + 1, moment)).toBe(true);
    const current = m.store.moments.get(moment.id);
    if (!current) throw new Error('moment not found');
    // when a save at version 1 names version 0 as what it read (its unwritten columns would be taken as version 0's)
    const save = () => m.store.moments.save({ ...current, tier: 2 }, T0 + 2, moment);
    // then it throws, and the moment is as it was
    expect(save).toThrow('saved against moment 1 v0 as read');
    expect(m.store.moments.get(moment.id)).toEqual(current);
  });

  test('changes requested and a new revision round-trip through save', () => {
    const { moment } = storedMoment(m.store);
    const asked: Moment = { ...moment, state: { status: 'changes_requested', by: PEOPLE.bea, comment: 'Shorter' } };
    expect(m.store.moments.save(asked, T0 + 1)).toBe(true);
    const revised: Moment = { ...asked, version: 1, revision: 2, content: { ...CONTENT, copy: 'New', link: undefined, urgency: 'high' }, state: { status: 'pending' } };
    expect(m.store.moments.save(revised, T0 + 2)).toBe(true);
    expect(m.store.moments.get(moment.id)).toEqual({ ...revised, version: 2 });
  });

  test('a flagger\'s open and closed moments are listed apart, each newest first, within the limit', () => {
    // given three moments, the second one approved
    const ids = [T0, T0 + 1, T0 + 2].map((now, i) => storedMoment(m.store, flagged(topic(), { now, flaggerId: i === 2 ? PEOPLE.bea : PEOPLE.flagger })).moment);
    const second = ids[1]!;
    m.store.moments.save({ ...second, state: { status: 'approved', by: PEOPLE.ana, comment: undefined, at: T0 + 5 } }, T0 + 5);
    // when they are listed; then the flagger's open one and closed one come apart, and nobody else's
    expect(m.store.moments.openFlaggedBy(PEOPLE.flagger, 10).map((s) => [s.id, s.status])).toEqual([[1, 'pending']]);
    expect(m.store.moments.closedFlaggedBy(PEOPLE.flagger, 10).map((s) => [s.id, s.status])).toEqual([[2, 'approved']]);
    expect(m.store.moments.openFlaggedBy(PEOPLE.flagger, 0)).toEqual([]);
    expect(m.store.moments.openFlaggedBy(PEOPLE.bea, 10).map((s) => s.id)).toEqual([3]);
  });

  test('the open moments one person may see: reviewed in the channel they ask from, flagged by them, or theirs to review now', () => {
    // given open moments in two review channels, and a closed one in the asker's channel
    const inChannel = storedMoment(m.store, flagged(topic(), { now: T0, flaggerId: PEOPLE.bea })).moment;
    const elsewhere = (now: number, flaggerId: string) => {
      const view = flagged(topic(), { now, flaggerId });
      return storedMoment(m.store, { ...view, moment: { ...view.moment, reviewChannel: 'C0ELSEWHERE' } }).moment;
    };
    const own = elsewhere(T0 + 1, PEOPLE.flagger);
    const toReview = elsewhere(T0 + 2, PEOPLE.bea);
    m.store.reviews.assign(toReview.id, [{ userId: PEOPLE.flagger, role: 'legal', tier: toReview.tier }]);
    const notYetTheirs = elsewhere(T0 + 3, PEOPLE.bea);
    m.store.reviews.assign(notYetTheirs.id, [{ userId: PEOPLE.flagger, role: 'legal', tier: notYetTheirs.tier + 1 }]);
    const closed = storedMoment(m.store, flagged(topic(), { now: T0 + 4, flaggerId: PEOPLE.flagger })).moment;
    m.store.moments.save({ ...closed, state: { status: 'approved', by: PEOPLE.ana, comment: undefined, at: T0 + 5 } }, T0 + 5);
    // when the flagger, legal, asks from the first moment's channel; then exactly those three come, newest first
    // (not the moment that reaches legal only at the next tier)
    const viewer = { userId: PEOPLE.flagger, channel: inChannel.reviewChannel, roles: ['legal'] };
    expect(m.store.moments.openFor(viewer, 10).newest.map((s) => s.id)).toEqual([toReview.id, own.id, inChannel.id]);
    expect(m.store.moments.openFor(viewer, 2)).toEqual({ newest: [expect.objectContaining({ id: toReview.id }), expect.objectContaining({ id: own.id })], total: 3 });
    // once the directory no longer gives them legal, the moment they were assigned as legal is not listed
    expect(m.store.moments.openFor({ ...viewer, roles: [] }, 10).newest.map((s) => s.id)).toEqual([own.id, inChannel.id]);
    expect(m.store.moments.openFor({ userId: PEOPLE.outsider, channel: 'C0GENERAL', roles: [] }, 10)).toEqual({ newest: [], total: 0 });
  });

  test('every open moment is listed, and only those', () => {
    // given two pending moments, one with changes requested, one approved
    const [a, b, c, d] = [T0, T0 + 1, T0 + 2, T0 + 3].map((now) => storedMoment(m.store, flagged(topic(), { now })).moment);
    m.store.moments.save({ ...c!, state: { status: 'changes_requested', by: PEOPLE.ana, comment: 'shorter' } }, T0 + 5);
    m.store.moments.save({ ...d!, state: { status: 'approved', by: PEOPLE.ana, comment: undefined, at: T0 + 5 } }, T0 + 5);
    // when the open ones are read; then the three not final come, and the approved one does not
    expect(m.store.moments.openIds().sort((x, y) => x - y)).toEqual([a!.id, b!.id, c!.id]);
  });

  test('the stats read and what one person may see search an index, never the whole history of moments', () => {
    const plan = (sql: string, values: Record<string, string | number> = {}) =>
      m.db
        .prepare<[Record<string, string | number>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(values)
        .map((r) => r.detail);
    // given the queries outcomesSince and openFor run (openFor's as it runs, with values bound)
    const stats = plan('SELECT topic, status, created_at, closed_at FROM moments WHERE created_at >= 0');
    const viewer = { userId: 'U', channel: 'C', roles: '["legal"]', known: '["legal", "comms"]' };
    const visible = plan(VISIBLE_OPEN_SQL.newest, { ...viewer, limit: 20 });
    const open = plan(OPEN_IDS_SQL);
    // then the stats search the window by creation time
    expect(stats).toEqual(['SEARCH moments USING INDEX moments_created (created_at>?)']);
    // and what one person may see is searched through the channel, flagger and reviewer indexes of open moments alone,
    // never the person's whole history (the scans left are of the person's few roles, given as a JSON list, and of the
    // moments found visible, gathered once)
    expect(visible.filter((d) => d.startsWith('SCAN') && !d.includes('json_each') && d !== 'SCAN visible')).toEqual([]);
    expect(visible.join('\n')).toContain('moments_open_by_channel (review_channel=?)');
    expect(visible.join('\n')).toContain('assignments_open_by_user (user_id=?)');
    expect(visible.join('\n')).toContain('moments_open_by_flagger (flagger_id=?)');
    // and every open moment's id is read through the open moments' partial index, not the whole history
    expect(open).toEqual([expect.stringMatching(/^SCAN moments USING (COVERING )?INDEX moments_open_by_(channel|flagger|flagger_title)$/)]);
    // and no index on moments is written for nothing: each is searched above (the repeat check's in the next test), or keeps a source message flagged once
    const indexes = m.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'moments' AND sql IS NOT NULL ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(indexes).toEqual(['moments_closed_by_flagger', 'moments_created', 'moments_expired_by_source', 'moments_open_by_channel', 'moments_open_by_flagger', 'moments_open_by_flagger_title', 'moments_source']);
    // (a message's expired moments, looked for when it is flagged again, through their own index)
    const expired = m.db.prepare<[string, string], { detail: string }>(`EXPLAIN QUERY PLAN ${EXPIRED_BY_SOURCE_SQL}`).all('C', '1.1').map((r) => r.detail);
    expect(expired).toEqual([expect.stringContaining('USING COVERING INDEX moments_expired_by_source (source_channel=? AND source_ts=?)')]);
  });

  test('the card a moment was posted as is remembered with its permalink', () => {
    const { moment } = storedMoment(m.store);
    expect(m.store.moments.card(moment.id)).toBeUndefined();
    m.store.moments.setCard(moment.id, 'C0REVIEW', '1.5');
    m.store.moments.setPermalink(moment.id, 'https://slack.example/p1');
    expect(m.store.moments.card(moment.id)).toEqual({ channel: 'C0REVIEW', ts: '1.5', permalink: 'https://slack.example/p1' });
    expect(m.store.moments.summaries([moment.id, 99]).map((s) => s.card?.permalink)).toEqual(['https://slack.example/p1']);
  });
});

describe('reviews', () => {
  test('assignments are stored once each and read back by tier, role and user', () => {
    // given a crisis moment with its three tiers of reviewers, assigned twice
    const view = storedMoment(m.store, flagged(CRISIS));
    m.store.reviews.assign(view.moment.id, view.assignments);
    // then each assignment is there once
    expect(m.store.reviews.assignments(view.moment.id)).toEqual([
      { tier: 0, role: 'comms', userId: PEOPLE.cal },
      { tier: 0, role: 'legal', userId: PEOPLE.leo },
      { tier: 1, role: 'leads', userId: PEOPLE.lead },
      { tier: 2, role: 'execs', userId: PEOPLE.boss },
    ]);
  });

  test('decisions are appended and read back in order', () => {
    const { moment } = storedMoment(m.store);
    const second: DecisionRecord = { ...DECISION, userId: undefined, role: undefined, action: 'timeout', at: T0 + 2 * MINUTE };
    m.store.reviews.appendDecision(moment.id, DECISION);
    m.store.reviews.appendDecision(moment.id, second);
    expect(m.store.reviews.decisions(moment.id)).toEqual([DECISION, second]);
  });

  test("an approval's held roles read back as stored, whatever their names; one stored without them reads back without", () => {
    // given two approvals with the roles their people held, one naming roles with commas and quotes, and one without
    const { moment } = storedMoment(m.store);
    const held: DecisionRecord = { ...DECISION, heldRoles: ['brand', 'legal, "EU"'] };
    const none: DecisionRecord = { ...DECISION, userId: PEOPLE.bea, heldRoles: [] };
    m.store.reviews.appendDecision(moment.id, held);
    m.store.reviews.appendDecision(moment.id, none);
    m.store.reviews.appendDecision(moment.id, DECISION);
    // when they are read back, one by one and many at once
    // then each is exactly what went in (no heldRoles key where none was stored: every assigned role, as before)
    expect(m.store.reviews.decisions(moment.id)).toStrictEqual([held, none, DECISION]);
    expect(m.store.reviews.decisionsOfMany([moment.id]).get(moment.id)).toStrictEqual([held, none, DECISION]);
  });

  test("an approval whose held roles were edited into something unreadable reads as holding none, not as a broken moment", () => {
    // given an approval stored with its held roles, then a hand edit that breaks them (the triggers let a fresh row in)
    const { moment } = storedMoment(m.store);
    m.db.prepare("INSERT INTO decisions (moment_id, user_id, role, action, revision, tier, at, held_roles) VALUES (?, ?, 'brand', 'approve', 1, 0, 0, 'brand, legal')").run(moment.id, PEOPLE.ana);
    // then the moment still reads, the approval holding no role
    expect(m.store.reviews.decisions(moment.id)).toMatchObject([{ userId: PEOPLE.ana, heldRoles: [] }]);
  });

  test('the database refuses to update or delete a decision', () => {
    // given one decision in the log
    const { moment } = storedMoment(m.store);
    m.store.reviews.appendDecision(moment.id, DECISION);
    // when someone rewrites or deletes it directly
    const update = () => m.db.prepare("UPDATE decisions SET action = 'reject'").run();
    const remove = () => m.db.prepare('DELETE FROM decisions').run();
    // then both are refused by the triggers, and the log is unchanged
    expect(update).toThrow('decisions are append-only');
    expect(remove).toThrow('decisions are append-only');
    expect(m.store.reviews.decisions(moment.id)).toEqual([DECISION]);
  });

  test('the database refuses to rewrite any column of a decision, not only its action', () => {
    // given one decision in the log
    const { moment } = storedMoment(m.store);
    m.store.reviews.appendDecision(moment.id, DECISION);
    // when each column is rewritten directly (a reason reworded, a time moved, an approver swapped, a role changed)
    const rewrites = [
      "user_id = 'U0SOMEONE'",
      "role = 'legal'",
      "action = 'reject'",
      "comment = 'reworded'",
      'revision = revision + 1',
      'tier = tier + 1',
      'at = at + 1',
      "held_roles = '[]'",
      'moment_id = moment_id',
    ];
    // then every rewrite is refused by the trigger, and the log is unchanged
    for (const set of rewrites) expect(() => m.db.prepare(`UPDATE decisions SET ${set}`).run()).toThrow('decisions are append-only');
    expect(m.store.reviews.decisions(moment.id)).toEqual([DECISION]);
  });

  test('many moments read at once are exactly what reading each on its own returns; an unknown id is left out', () => {
    // given three moments: a crisis one with decisions, a brand one with one decision, one never decided
    const crisis = storedMoment(m.store, flagged(CRISIS)).moment;
    const brand = storedMoment(m.store).moment;
    const quiet = storedMoment(m.store, flagged(CRISIS)).moment;
    m.store.reviews.appendDecision(crisis.id, { ...DECISION, role: 'comms', userId: PEOPLE.cal });
    m.store.reviews.appendDecision(brand.id, DECISION);
    m.store.reviews.appendDecision(crisis.id, { ...DECISION, role: 'legal', userId: PEOPLE.leo, action: 'escalate', at: T0 + 2 * MINUTE });
    const ids = [quiet.id, crisis.id, 99, brand.id];
    // when they are read in one go
    const moments = m.store.moments.getMany(ids);
    const assignments = m.store.reviews.assignmentsOfMany(ids);
    const decisions = m.store.reviews.decisionsOfMany(ids);
    // then each moment, its assignments and its decisions (in order) are what the one-by-one reads return
    expect([...moments.keys()].sort()).toEqual([crisis.id, brand.id, quiet.id].sort());
    for (const id of [crisis.id, brand.id, quiet.id]) {
      expect(moments.get(id)).toStrictEqual(m.store.moments.get(id));
      expect(assignments.get(id)).toEqual(m.store.reviews.assignments(id));
      expect(decisions.get(id) ?? []).toEqual(m.store.reviews.decisions(id));
    }
    expect(decisions.get(crisis.id)?.map((d) => d.action)).toEqual(['approve', 'escalate']);
    expect(decisions.has(quiet.id)).toBe(false);
    expect(moments.has(99) || assignments.has(99) || decisions.has(99)).toBe(false);
  });

  test('what waits for a person is the pending moments whose current tier lists them', () => {
    // given two crisis moments; the second is escalated to tier 1, a third is approved
    const first = storedMoment(m.store, flagged(CRISIS)).moment;
    const second = storedMoment(m.store, flagged(CRISIS)).moment;
    const third = storedMoment(m.store, flagged(CRISIS)).moment;
    m.store.moments.save({ ...second, tier: 1 }, T0 + 1);
    m.store.moments.save({ ...third, state: { status: 'approved', by: PEOPLE.leo, comment: undefined, at: T0 + 1 } }, T0 + 1);
    // then cal waits on the first only, and the lead on the second only
    expect(m.store.reviews.waitingFor(PEOPLE.cal, 10)).toEqual([first.id]);
    expect(m.store.reviews.waitingFor(PEOPLE.lead, 10)).toEqual([second.id]);
  });

  test("a moment's assignments stop being open when it ends, whatever wrote the end, and only then", () => {
    // given a moment asked for changes (still open), and one approved, and one written final by plain SQL
    const open = (id: number) => m.db.prepare<[number], { open: number }>('SELECT open FROM assignments WHERE moment_id = ?').all(id).map((r) => r.open);
    const asked = storedMoment(m.store, flagged(CRISIS)).moment;
    const approved = storedMoment(m.store, flagged(CRISIS)).moment;
    const written = storedMoment(m.store, flagged(CRISIS)).moment;
    m.store.moments.save({ ...asked, state: { status: 'changes_requested', by: PEOPLE.cal, comment: 'shorter' } }, T0 + 1);
    m.store.moments.save({ ...approved, state: { status: 'approved', by: PEOPLE.leo, comment: undefined, at: T0 + 1 } }, T0 + 1);
    m.db.prepare("UPDATE moments SET status = 'expired' WHERE id = ?").run(written.id);
    // then only the moment asked for changes keeps its assignments open
    expect(new Set(open(asked.id))).toEqual(new Set([1]));
    expect(new Set(open(approved.id))).toEqual(new Set([0]));
    expect(new Set(open(written.id))).toEqual(new Set([0]));
  });

  test("what waits for a person, and what they flagged that is open, is read through open moments, not their history", () => {
    const plan = (sql: string) =>
      m.db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => r.detail);
    const open = "status IN ('pending', 'changes_requested')";
    expect(plan(`SELECT a.moment_id FROM assignments a JOIN moments m ON m.id = a.moment_id WHERE a.user_id = 'U' AND a.open = 1 AND a.moment_id < 9 AND m.status = 'pending' AND a.tier = m.tier GROUP BY a.moment_id ORDER BY a.moment_id DESC LIMIT 50`)[0]).toContain(
      'assignments_open_by_user',
    );
    expect(plan(`SELECT id FROM moments WHERE flagger_id = 'U' AND ${open} ORDER BY created_at DESC LIMIT 10`)).toEqual(['SEARCH moments USING INDEX moments_open_by_flagger (flagger_id=?)']);
    // closed ones by id, the order they were flagged in whatever the clock did
    expect(plan(`SELECT id FROM moments WHERE flagger_id = 'U' AND NOT (${open}) ORDER BY id DESC LIMIT 10`)).toEqual(['SEARCH moments USING INDEX moments_closed_by_flagger (flagger_id=?)']);
    // the words a flagger sent before are compared on their open moments of that title alone (openRepeatOf), not on
    // every open moment of theirs (500 each in the benchmark)
    expect(
      plan(`SELECT id FROM moments WHERE flagger_id = 'U' AND ${open} AND source_channel IS NULL AND topic = 't' AND title = 'a' AND copy = 'b' AND link IS NULL LIMIT 1`)[0],
    ).toMatch(/^SEARCH moments USING INDEX moments_open_by_flagger_title \(flagger_id=\? AND title=\?\)/);
  });

  test("a flagger's open moment is found again by its very words and topic, and only while it is open", () => {
    // given a pending moment flagged from no message
    const { moment } = storedMoment(m.store, flagged(topic()));
    const { flaggerId, topic: name, content } = moment;
    // then its words and topic find it, and any difference does not
    expect(m.store.moments.openRepeatOf(flaggerId, name, content)).toBe(moment.id);
    expect(m.store.moments.openRepeatOf(PEOPLE.ana, name, content)).toBeUndefined();
    expect(m.store.moments.openRepeatOf(flaggerId, 'crisis', content)).toBeUndefined();
    expect(m.store.moments.openRepeatOf(flaggerId, name, { ...content, copy: `${content.copy}!` })).toBeUndefined();
    expect(m.store.moments.openRepeatOf(flaggerId, name, { ...content, link: undefined })).toBeUndefined();
    // and once it is approved, nothing
    m.store.moments.save({ ...moment, state: { status: 'approved', by: PEOPLE.ana, comment: undefined, at: T0 + 1 } }, T0 + 1);
    expect(m.store.moments.openRepeatOf(flaggerId, name, content)).toBeUndefined();
  });
});
