import { decodeButtonValue, encodeButtonValue } from '../../src/slack/ids';

describe('button values', () => {
  test('a value carries moment, revision and tier, and reads back the same', () => {
    expect(encodeButtonValue({ momentId: 12, revision: 3, tier: 1 })).toBe('12:3:1');
    expect(decodeButtonValue('12:3:1')).toEqual({ momentId: 12, revision: 3, tier: 1 });
  });

  test("a value carries the moment's stamp too, when it has one", () => {
    expect(encodeButtonValue({ momentId: 12, revision: 3, tier: 1, stamp: 'e979b737' })).toBe('12:3:1:e979b737');
    expect(decodeButtonValue('12:3:1:e979b737')).toEqual({ momentId: 12, revision: 3, tier: 1, stamp: 'e979b737' });
  });

  test('a card posted before buttons carried the tier still works, without a tier', () => {
    expect(decodeButtonValue('12:3')).toEqual({ momentId: 12, revision: 3 });
  });

  test.each([undefined, 7, '', '12', '12:3:1:0g', '12:3:1:e979b737:1', 'a:b', '12:3:x', '1:1:1234', ' 1:1'])('%p is not a value of ours', (raw) => {
    expect(decodeButtonValue(raw)).toBeUndefined();
  });
});
