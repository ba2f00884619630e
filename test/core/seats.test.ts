import fc from 'fast-check';
import { fillSeats, type Candidate } from '../../src/core/seats';
import { PEOPLE } from './fixtures';

describe('fillSeats', () => {
  test('one person holding two required roles fills one seat, and both roles are named short', () => {
    // given comms 1 + legal 1, and cal the only member of both
    const seating = fillSeats({ comms: 1, legal: 1 }, [[PEOPLE.cal, ['comms', 'legal']]]);
    // then cal takes one seat, the other stays empty, and the pair is what lacks people
    expect([...seating.byRole.values()].flat()).toEqual([PEOPLE.cal]);
    expect(seating).toMatchObject({ short: ['comms', 'legal'], shortOf: 1 });
  });

  test('brand 2 + comms 1 with brand [ana, cal] and comms [cal]: three seats, two people', () => {
    const seating = fillSeats({ brand: 2, comms: 1 }, [
      [PEOPLE.ana, ['brand']],
      [PEOPLE.cal, ['brand', 'comms']],
    ]);
    expect(seating).toMatchObject({ short: ['brand', 'comms'], shortOf: 2 });
  });

  test('a person in two roles moves to the seat the others leave, whoever comes first', () => {
    // given cal (comms and legal) comes before leo (legal only)
    const seating = fillSeats({ comms: 1, legal: 1 }, [
      [PEOPLE.cal, ['comms', 'legal']],
      [PEOPLE.leo, ['legal']],
    ]);
    // then every seat is filled
    expect(seating.short).toEqual([]);
    expect(seating.byRole).toEqual(new Map([['comms', [PEOPLE.cal]], ['legal', [PEOPLE.leo]]]));
  });

  test('a role short on its own is named alone, not with the roles that are fine', () => {
    const seating = fillSeats({ brand: 2, comms: 1 }, [
      [PEOPLE.ana, ['brand']],
      [PEOPLE.cal, ['comms']],
    ]);
    expect(seating).toMatchObject({ short: ['brand'], shortOf: 1 });
  });

  test('every seat is filled exactly when no set of roles needs more approvals than it has people (Hall)', () => {
    const roles = ['a', 'b', 'c'];
    const count = fc.integer({ min: 0, max: 2 });
    const requirements = fc.record<Record<string, number>>({ a: count, b: count, c: count });
    const people = fc.array(fc.subarray(roles), { maxLength: 5 });
    fc.assert(
      fc.property(requirements, people, (needed, held) => {
        const candidates: Candidate[] = held.map((r, i) => [`U${i}`, r]);
        const { short, shortOf, byRole } = fillSeats(needed, candidates);
        const holders = (set: readonly string[]) => candidates.filter(([, r]) => r.some((x) => set.includes(x))).length;
        const seats = (set: readonly string[]) => set.reduce((sum, r) => sum + (needed[r] ?? 0), 0);
        const subsets = [1, 2, 3, 4, 5, 6, 7].map((mask) => roles.filter((_, i) => mask & (1 << i)));
        const hallHolds = subsets.every((set) => holders(set) >= seats(set));
        // then all seats are filled exactly when Hall's condition holds
        expect(short.length === 0).toBe(hallHolds);
        // and the roles named short really lack people together
        if (short.length > 0) expect(shortOf).toBeLessThan(seats(short));
        expect(shortOf).toBe(holders(short));
        // and nobody is seated twice
        const seated = [...byRole.values()].flat();
        expect(new Set(seated).size).toBe(seated.length);
      }),
    );
  });
});
