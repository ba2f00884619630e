import { parseDuration } from '../../src/config/parse-duration';
import { parsePercent } from '../../src/config/parse-percent';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h0m30s', 3_630_000],
    ['0m', 0],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', '1.5h', '30 min', '30M', '30m1h', 'h', '-5m'])('does not read %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parsePercent', () => {
  it('reads a percentage as a fraction', () => {
    expect(parsePercent('50%')).toBe(0.5);
    expect(parsePercent('12.5%')).toBe(0.125);
  });

  it('does not read a bare number', () => {
    expect(parsePercent('50')).toBeUndefined();
    expect(parsePercent('0.5')).toBeUndefined();
  });
});
