import { PEOPLE } from '../core/fixtures';
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

const ANA_DM = 'D0ANA';
const BEA_DM = 'D0BEA';

describe('messages', () => {
  test('a second DM to a reviewer about a moment is kept next to the first, oldest first', () => {
    // given ana's review DM and her reminder, recorded in the opposite order (a retried post can land late)
    m.store.messages.recordDm(a, PEOPLE.ana, ANA_DM, '1714554000.000200', 'remind', { tier: 0, revision: 1 });
    m.store.messages.recordDm(a, PEOPLE.ana, ANA_DM, '1714554000.000100');
    // when her DMs about the moment are read, then both are there, each with its own ts, reason and what it asked
    // about (none recorded for the first), in the order Slack shows them
    expect(m.store.messages.dmsTo(a, PEOPLE.ana)).toEqual([
      { userId: PEOPLE.ana, channel: ANA_DM, ts: '1714554000.000100', why: 'review', settled: false },
      { userId: PEOPLE.ana, channel: ANA_DM, ts: '1714554000.000200', why: 'remind', asked: { tier: 0, revision: 1 }, settled: false },
    ]);
    // and once the reminder is settled (re-rendered as replaced), it reads so
    m.store.messages.settleDm(a, ANA_DM, '1714554000.000200');
    expect(m.store.messages.dmsTo(a, PEOPLE.ana).map((dm) => dm.settled)).toEqual([false, true]);
  });

  test("one person's DMs are read apart from other people's and other moments'", () => {
    // given DMs to ana and bea about moment a, and to ana about moment b
    m.store.messages.recordDm(a, PEOPLE.bea, BEA_DM, '1714554000.000300');
    m.store.messages.recordDm(a, PEOPLE.ana, ANA_DM, '1714554000.000100');
    m.store.messages.recordDm(b, PEOPLE.ana, ANA_DM, '1714554000.000200');
    m.store.messages.recordDm(a, PEOPLE.ana, ANA_DM, '1714554000.000400');
    // then each read returns only its own
    expect(m.store.messages.dmsTo(a, PEOPLE.ana).map((dm) => dm.ts)).toEqual(['1714554000.000100', '1714554000.000400']);
    expect(m.store.messages.dmsTo(b, PEOPLE.ana).map((dm) => dm.ts)).toEqual(['1714554000.000200']);
    expect(m.store.messages.dmsTo(b, PEOPLE.bea)).toEqual([]);
    // and every DM about moment a comes by person, each person's oldest first
    expect(m.store.messages.dms(a).map((dm) => `${dm.userId} ${dm.ts}`)).toEqual([
      `${PEOPLE.ana} 1714554000.000100`,
      `${PEOPLE.ana} 1714554000.000400`,
      `${PEOPLE.bea} 1714554000.000300`,
    ]);
  });

  test('the same DM recorded twice is kept once', () => {
    // given a DM recorded, then recorded again (a post found after its answer was lost)
    m.store.messages.recordDm(a, PEOPLE.ana, ANA_DM, '1714554000.000100');
    m.store.messages.recordDm(a, PEOPLE.ana, ANA_DM, '1714554000.000100');
    // then it is there once
    expect(m.store.messages.dmsTo(a, PEOPLE.ana)).toHaveLength(1);
  });

  test("a request DM to the flagger keeps its revision, its note and whether it was a reminder", () => {
    const note = { what: 'request_changes', userId: PEOPLE.ana, role: 'brand', comment: 'Shorter', tier: 0 } as const;
    m.store.messages.recordFlaggerNote(a, 1, 'D0FLAG', '1714554000.000500', note);
    m.store.messages.recordFlaggerNote(a, 1, 'D0FLAG', '1714554000.000600', note, true);
    expect(m.store.messages.flaggerNotes(a)).toEqual([
      { channel: 'D0FLAG', ts: '1714554000.000500', revision: 1, note, reminder: false },
      { channel: 'D0FLAG', ts: '1714554000.000600', revision: 1, note, reminder: true },
    ]);
    expect(m.store.messages.flaggerNotes(b)).toEqual([]);
  });

  test('a DM about a moment that does not exist is refused', () => {
    expect(() => m.store.messages.recordDm(999, PEOPLE.ana, ANA_DM, '1714554000.000100')).toThrow(/FOREIGN KEY/);
  });

  test("a person's DM channel is remembered, and replaced when Slack gives another", () => {
    expect(m.store.messages.dmChannel(PEOPLE.ana)).toBeUndefined();
    m.store.messages.rememberDmChannel(PEOPLE.ana, ANA_DM);
    m.store.messages.rememberDmChannel(PEOPLE.ana, 'D0ANA2');
    expect(m.store.messages.dmChannel(PEOPLE.ana)).toBe('D0ANA2');
  });
});
