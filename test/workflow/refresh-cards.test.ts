import type { Roster } from '../../src/core/routing';
import { homeContents } from '../../src/workflow/home-contents';
import { recordFlag } from '../../src/workflow/record-flag';
import { refreshCardsForRoster, rosterSinceShown } from '../../src/workflow/refresh-cards';
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

const REPLY = { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined };

function flag(t = CRISIS, key = `flag:${Math.random()}`): void {
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title: `Moment ${key}` }, topic: t, source: undefined }, membersFrom(MEMBERS), REPLY, key, T0);
}

/** What the outbox holds, oldest first: each notice's kind, then its note or person. */
function queued(): string[] {
  return m.db
    .prepare<[], { kind: string }>("SELECT json_extract(payload, '$.kind') || ':' || coalesce(json_extract(payload, '$.note.what'), json_extract(payload, '$.userId'), '') AS kind FROM outbox ORDER BY id")
    .all()
    .map((row) => row.kind);
}

function rosterOf(changes: Record<string, string[]> = {}): Roster {
  return { members: new Map(Object.entries({ ...MEMBERS, ...changes })), unread: new Set() };
}

/** Moment ids with a reviewer's reminder queued, by moment. */
function remindersQueued(): number[] {
  return m.db
    .prepare<[], { moment_id: number }>("SELECT moment_id FROM outbox WHERE json_extract(payload, '$.kind') = 'remind_reviewer' ORDER BY moment_id")
    .all()
    .map((r) => r.moment_id);
}

const LOCKED = () => Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));

/**
 * Runs `before(n)` as the store is asked for its n-th group commit from now, and fails that commit when it returns
 * LOCKED's answer (the database busy past its timeout). Returns what gives the store its own commits back.
 */
function atCommits(before: (nth: number) => Promise<never> | void): () => void {
  const batched = m.store.batched.bind(m.store);
  let calls = 0;
  (m.store as { batched: typeof m.store.batched }).batched = (work) => {
    calls += 1;
    return before(calls) ?? batched(work);
  };
  return () => ((m.store as { batched: typeof m.store.batched }).batched = batched);
}

/** Fails the store's `nth` group commit from now (see atCommits). */
function failingCommit(nth: number): () => void {
  return atCommits((call) => (call === nth ? LOCKED() : undefined));
}

/** Moment ids with a card update queued, in the order queued. */
function updatesQueued(): number[] {
  return m.db
    .prepare<[], { moment_id: number }>("SELECT moment_id FROM outbox WHERE json_extract(payload, '$.kind') = 'update_card' ORDER BY id")
    .all()
    .map((r) => r.moment_id);
}

describe('refreshCardsForRoster', () => {
  test('a card update is queued for each open moment the change shows on, page by page, and for no other', async () => {
    // given five open crisis moments (awaiting cal in comms), one decided, and one brand moment
    for (let i = 0; i < 6; i += 1) flag();
    flag(topic({ name: 'sports' }));
    for (const userId of [PEOPLE.cal, PEOPLE.leo]) runCommand(m.store, 6, { kind: 'approve', actor: actor(userId) }, REPLY, `approve:${userId}`, T0 + MINUTE);
    expect(m.store.moments.get(6)?.state.status).toBe('approved');
    m.db.prepare('DELETE FROM outbox').run();
    // when cal leaves comms, read two moments at a time
    const queued = await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + 2 * MINUTE, 2);
    // then the five open crisis cards are queued for an update, not the decided one nor the brand one
    expect(queued).toBe(5);
    expect(updatesQueued().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });

  test('a flagger is told once when people leaving a role leave too few to approve their moment, and what they can do', async () => {
    // given an open crisis moment (comms: cal, legal: leo; leads and execs above), and one with no tier above
    flag();
    flag(topic({ name: 'launch', require: { legal: 1 }, escalateTo: [] }));
    m.db.prepare('DELETE FROM outbox').run();
    // when leo leaves legal, and then cal leaves comms
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ legal: [] }), () => T0 + MINUTE);
    await refreshCardsForRoster(m.store, rosterOf({ legal: [] }), rosterOf({ legal: [], comms: [] }), () => T0 + 2 * MINUTE);
    // then each flagger heard of legal once, and the crisis flagger of comms once, each with whether it can escalate
    const told = m.db
      .prepare<[], { moment_id: number; note: string }>("SELECT moment_id, json_extract(payload, '$.note') AS note FROM outbox WHERE json_extract(payload, '$.kind') = 'notify_flagger' ORDER BY id")
      .all()
      .map((r) => ({ momentId: r.moment_id, note: JSON.parse(r.note) as unknown }));
    expect(told).toEqual([
      { momentId: 1, note: { what: 'short_staffed', roles: ['legal'], tier: 0, escalates: true } },
      { momentId: 2, note: { what: 'short_staffed', roles: ['legal'], tier: 0, escalates: false } },
      { momentId: 1, note: { what: 'short_staffed', roles: ['comms'], tier: 0, escalates: true } },
    ]);
  });

  test('a change no card shows queues nothing', async () => {
    flag();
    m.db.prepare('DELETE FROM outbox').run();
    expect(await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ brand: [] }), () => T0)).toBe(0);
    expect(updatesQueued()).toEqual([]);
  });
});

describe('the roster shown', () => {
  test('a refresh saves the roster it brought the cards to, once every page has committed', async () => {
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0, 1);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
  });

  test('at start, a roster changed since the one saved is caught up from it, and a start that reads the same has nothing to do', async () => {
    // given an open crisis moment, its cards brought up to date with cal in comms
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    m.db.prepare('DELETE FROM outbox').run();
    // when Greenlight starts and reads comms empty
    expect(await rosterSinceShown(m.store, rosterOf({ comms: [] }), () => T0 + MINUTE)).toEqual({ behind: true, gone: [] });
    // then the refresh from the roster saved queues the card, and saves the new one
    expect(await refreshCardsForRoster(m.store, rosterOf({ comms: [] }), rosterOf({ comms: [] }), () => T0 + MINUTE)).toBe(1);
    expect(updatesQueued()).toEqual([1]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
    // and a start that reads the same roster again has nothing to catch up
    expect(await rosterSinceShown(m.store, rosterOf({ comms: [] }), () => T0 + 2 * MINUTE)).toEqual({ behind: false, gone: [] });
  });

  test('at start, roles the routing file no longer names (renamed or removed since the roster saved) are named', async () => {
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    const renamed: Roster = { members: new Map([...rosterOf().members].filter(([role]) => role !== 'leads' && role !== 'comms')), unread: new Set() };
    expect(await rosterSinceShown(m.store, renamed, () => T0 + MINUTE)).toEqual({ behind: true, gone: ['comms', 'leads'] });
  });

  test('a database that never saved a roster starts from the one read now, with nothing to catch up', async () => {
    flag();
    m.db.prepare('DELETE FROM outbox').run();
    expect(await rosterSinceShown(m.store, rosterOf({ comms: [] }), () => T0)).toEqual({ behind: false, gone: [] });
    expect(updatesQueued()).toEqual([]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [] }));
  });

  test('a refresh that failed is caught up by the next one, from the roster the messages show', async () => {
    // given an open crisis moment, its messages up to date with cal in comms
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    m.db.prepare('DELETE FROM outbox').run();
    // when cal leaves comms and that refresh fails (the database busy past its timeout)
    const restore = atCommits(LOCKED);
    await expect(refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + MINUTE)).rejects.toThrow('locked');
    restore();
    // and an unrelated change is heard next (bea joins legal)
    await refreshCardsForRoster(m.store, rosterOf({ comms: [] }), rosterOf({ comms: [], legal: [PEOPLE.leo, PEOPLE.bea] }), () => T0 + 2 * MINUTE);
    // then cal's leaving is caught up too: the card is queued, and the roster saved is the last one
    expect(updatesQueued()).toEqual([1]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf({ comms: [], legal: [PEOPLE.leo, PEOPLE.bea] }));
  });

  test('a role Slack did not answer for at start is no change from the members known before', async () => {
    // given an open crisis moment, its messages up to date after leo left legal
    flag();
    m.store.rosterShown.save(rosterOf({ legal: [] }), T0);
    m.db.prepare('DELETE FROM outbox').run();
    // when Greenlight starts while the legal user group cannot be read (unread: everyone assigned would be trusted)
    const atStart: Roster = { members: new Map(Object.entries({ ...MEMBERS, legal: [] })), unread: new Set(['legal']) };
    // then the refresh at start queues nothing (leo's DM does not get its buttons back), and saves legal as unread:
    // what is rendered meanwhile trusts its assignments
    expect(await rosterSinceShown(m.store, atStart, () => T0 + MINUTE)).toEqual({ behind: true, gone: [] });
    expect(await refreshCardsForRoster(m.store, atStart, atStart, () => T0 + MINUTE)).toBe(0);
    expect(m.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(m.store.rosterShown.read()).toEqual(atStart);
    // and when legal is read (leo still out of it), his DM is updated: anything rendered meanwhile offered him buttons
    await refreshCardsForRoster(m.store, atStart, rosterOf({ legal: [] }), () => T0 + 2 * MINUTE);
    expect(m.db.prepare("SELECT json_extract(payload, '$.userId') AS userId FROM outbox WHERE json_extract(payload, '$.kind') = 'update_dm'").all()).toEqual([{ userId: PEOPLE.leo }]);
    // (and the flagger, warned before the restart that legal was short, is not warned a second time)
    expect(queued().filter((kind) => kind.startsWith('notify_flagger'))).toEqual([]);
  });

  test('someone put back in a role while Greenlight was down is given the buttons back and reminded, though the first read at start failed', async () => {
    // given leo left legal (his DM lost its buttons, the flagger was warned), then Greenlight stopped
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ legal: [] }), () => T0 + MINUTE);
    expect(queued()).toContain('notify_flagger:short_staffed');
    m.db.prepare('DELETE FROM outbox').run();
    // when it starts while legal cannot be read (legal unread), and the next read finds leo back in legal
    const atStart: Roster = { members: new Map(Object.entries({ ...MEMBERS, legal: [] })), unread: new Set(['legal']) };
    expect((await rosterSinceShown(m.store, atStart, () => T0 + 2 * MINUTE)).behind).toBe(true);
    await refreshCardsForRoster(m.store, atStart, atStart, () => T0 + 2 * MINUTE);
    await refreshCardsForRoster(m.store, atStart, rosterOf(), () => T0 + 5 * MINUTE);
    // then leo's DM is updated and he is reminded, the card updated, and the flagger told legal can approve again
    expect(queued()).toEqual(expect.arrayContaining(['update_card:', `update_dm:${PEOPLE.leo}`, `remind_reviewer:${PEOPLE.leo}`, 'notify_flagger:staffed_again']));
  });

  test('a roster saved by an earlier Greenlight with legal unread (its members as far as read) reminds nobody when legal reads as it always was', async () => {
    flag();
    m.store.rosterShown.save({ members: new Map(Object.entries({ ...MEMBERS, legal: [] })), unread: new Set(['legal']) }, T0 + MINUTE);
    m.db.prepare('UPDATE roster_shown SET last_known = NULL').run();
    m.db.prepare('DELETE FROM outbox').run();
    expect((await rosterSinceShown(m.store, rosterOf(), () => T0 + 2 * MINUTE)).behind).toBe(true);
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf(), () => T0 + 2 * MINUTE);
    expect(queued()).not.toContain(`remind_reviewer:${PEOPLE.leo}`);
  });

  test('while legal is still unread, a change to another role neither reminds someone known to have left legal nor tells the flagger legal can approve', async () => {
    // given leo left legal (the flagger was warned), then a start that could not read legal
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ legal: [] }), () => T0 + MINUTE);
    const atStart: Roster = { members: new Map(Object.entries({ ...MEMBERS, legal: [] })), unread: new Set(['legal']) };
    await rosterSinceShown(m.store, atStart, () => T0 + 2 * MINUTE);
    await refreshCardsForRoster(m.store, atStart, atStart, () => T0 + 2 * MINUTE);
    m.db.prepare('DELETE FROM outbox').run();
    // when comms gains bea, legal still unread
    const commsChanged: Roster = { members: new Map(Object.entries({ ...MEMBERS, legal: [], comms: [PEOPLE.cal, PEOPLE.bea] })), unread: new Set(['legal']) };
    await refreshCardsForRoster(m.store, atStart, commsChanged, () => T0 + 3 * MINUTE);
    // then nothing is said about legal: nobody can tell yet who is in it
    expect(queued()).not.toContain(`remind_reviewer:${PEOPLE.leo}`);
    expect(queued()).not.toContain('notify_flagger:staffed_again');
  });
});

describe('a roster change and the open Homes', () => {
  const homesQueued = (): string[] =>
    m.store.outbox.ready(T0 + 10 * MINUTE, 100).flatMap((r) => (r.notice.kind === 'publish_home' ? [r.notice.userId] : []));

  test("the flagger's open Home loses Escalate when the roster leaves nobody to escalate to", async () => {
    // given a brand moment (escalates to leads) and its flagger's Home open, offering Escalate to leads
    recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: topic({ name: 'sports' }), source: undefined }, membersFrom(MEMBERS), REPLY, 'flag:1', T0);
    m.store.homeViewers.opened(PEOPLE.flagger, T0 + MINUTE);
    expect(homeContents(m.store, PEOPLE.flagger, undefined, rosterOf()).escalateTo.get(1)).toEqual(['leads']);
    expect(homeContents(m.store, PEOPLE.flagger, undefined, rosterOf({ leads: [] })).escalateTo.has(1)).toBe(false);
    m.db.prepare('DELETE FROM outbox').run();
    // when the leads group empties (the card drops Escalate: no one can take it)
    const queued = await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ leads: [] }), () => T0 + 2 * MINUTE);
    expect(queued).toBe(1);
    // then the flagger's open Home is published again (its Escalate button is gone too)
    expect(homesQueued()).toContain(PEOPLE.flagger);
  });
});

describe('a refresh stopped half-way', () => {
  test('is finished from the moment it stopped at: a reviewer back in legal is reminded once of each moment, not of one flagged since', async () => {
    // given two open crisis moments, leo taken out of legal and the messages brought up to date with that
    flag();
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ legal: [] }), () => T0 + MINUTE);
    m.db.prepare('DELETE FROM outbox').run();
    // when leo is put back, and the refresh fails after its first page committed (its start, then a page of one)
    const restore = failingCommit(3);
    await expect(refreshCardsForRoster(m.store, rosterOf({ legal: [] }), rosterOf(), () => T0 + 2 * MINUTE, 1)).rejects.toThrow('locked');
    restore();
    // and a moment is flagged (leo, back in legal, is asked in it) before the next refresh (or the next start) catches up
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf(), () => T0 + 3 * MINUTE, 1);
    // then leo is reminded once of each moment his DM had said was no longer his, and nothing is left under way
    expect(remindersQueued()).toEqual([1, 2]);
    expect(m.store.rosterShown.refreshUnderWay()).toBeUndefined();
  });

  test('makes the next start behind though it reads the roster saved, and the refresh then finishes it before its own change', async () => {
    // given two open crisis moments whose messages show cal in comms, and a refresh of cal leaving stopped after one
    flag();
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    m.db.prepare('DELETE FROM outbox').run();
    const restore = failingCommit(3);
    await expect(refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + MINUTE, 1)).rejects.toThrow('locked');
    restore();
    expect(updatesQueued()).toEqual([1]);
    // when Greenlight starts again and reads comms empty, as saved
    expect(await rosterSinceShown(m.store, rosterOf({ comms: [] }), () => T0 + 2 * MINUTE)).toEqual({ behind: true, gone: [] });
    // then the refresh at start updates the moment not reached, and only it
    await refreshCardsForRoster(m.store, rosterOf({ comms: [] }), rosterOf({ comms: [] }), () => T0 + 2 * MINUTE, 1);
    expect(updatesQueued()).toEqual([1, 2]);
    // and a refresh of a change that came meanwhile (cal back) is looked at after it, from the roster it saved
    m.db.prepare('DELETE FROM outbox').run();
    await refreshCardsForRoster(m.store, rosterOf({ comms: [] }), rosterOf(), () => T0 + 3 * MINUTE, 1);
    expect(updatesQueued()).toEqual([1, 2]);
    expect(m.store.rosterShown.read()).toEqual(rosterOf());
  });

  test('taken over by another process, the first one stops at its next page and the moments are updated once', async () => {
    // given three open crisis moments, and a refresh of cal leaving comms that has reached the first one
    flag();
    flag();
    flag();
    m.store.rosterShown.save(rosterOf(), T0);
    m.db.prepare('DELETE FROM outbox').run();
    let takeOver: Promise<number> | undefined;
    const restore = atCommits((call) => {
      // when another process, reading the same change, starts while this one is between its pages
      if (call === 3) takeOver = refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + MINUTE, 1);
    });
    const first = await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ comms: [] }), () => T0 + MINUTE, 1);
    restore();
    const second = await takeOver;
    // then each card is queued for an update once, between the two of them
    expect(updatesQueued().sort((a, b) => a - b)).toEqual([1, 2, 3]);
    expect((second ?? 0) + first).toBe(3);
    expect(m.store.rosterShown.refreshUnderWay()).toBeUndefined();
  });
});

describe('a moment flagged while a refresh is under way', () => {
  test('is not reminded of when another process takes the refresh over', async () => {
    // given two open crisis moments, leo taken out of legal and their messages brought up to date with that
    flag();
    flag();
    await refreshCardsForRoster(m.store, rosterOf(), rosterOf({ legal: [] }), () => T0 + MINUTE);
    m.db.prepare('DELETE FROM outbox').run();
    let takeOver: Promise<number> | undefined;
    const restore = atCommits((call) => {
      if (call !== 3) return;
      // when, between the pages of the refresh that puts leo back, a moment is flagged (leo is asked in it, as he is
      // back in legal) and another process reading the same change takes the refresh over
      flag();
      takeOver = refreshCardsForRoster(m.store, rosterOf(), rosterOf(), () => T0 + 2 * MINUTE, 1);
    });
    await refreshCardsForRoster(m.store, rosterOf({ legal: [] }), rosterOf(), () => T0 + 2 * MINUTE, 1);
    restore();
    await takeOver;
    // then leo is reminded of the two moments his DM had said were no longer his, not of the one he was just asked in
    expect(remindersQueued()).toEqual([1, 2]);
  });
});
