import { RepeatFilter } from '../../src/log/repeat-filter';

describe('RepeatFilter (a failure that lasts is said once a minute)', () => {
  test('a new key passes, its repeats within the quiet time are held, and the next pass counts them', () => {
    const filter = new RepeatFilter(60_000);
    const ticks = Array.from({ length: 300 }, (_, i) => filter.pass('SQLITE_FULL', i * 200));
    expect(ticks.filter((said) => said !== undefined)).toEqual([{ held: 0 }]);
    expect(filter.pass('SQLITE_FULL', 60_000)).toEqual({ held: 299 });
  });

  test('keys are counted apart: two failures that alternate are both held', () => {
    const filter = new RepeatFilter(60_000);
    expect([filter.pass('a', 0), filter.pass('b', 10)]).toEqual([{ held: 0 }, { held: 0 }]);
    expect([filter.pass('a', 20), filter.pass('b', 30), filter.pass('a', 40)]).toEqual([undefined, undefined, undefined]);
    expect(filter.pass('a', 60_000)).toEqual({ held: 2 });
  });

  test('past its capacity the oldest key is forgotten, so memory stays bounded', () => {
    const filter = new RepeatFilter(60_000, 2);
    filter.pass('a', 0);
    filter.pass('b', 1);
    filter.pass('c', 2);
    expect(filter.pass('a', 3)).toEqual({ held: 0 });
    expect(filter.pass('c', 4)).toBeUndefined();
  });
});
