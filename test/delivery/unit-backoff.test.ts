import fc from 'fast-check';
import { ANSWER_RETRY_FOR_MS, backoffMs, LAST_LOOK_FOR_MS, RETRY_FOR_MS, stillWorthLooking, stillWorthRetrying } from '../../src/delivery/backoff';
import type { Notice } from '../../src/core/notice';

const LOW = () => 0;
const MID = () => 0.5;
const HIGH = () => 0.999_999_999;

describe('backoffMs', () => {
  test('without jitter the wait doubles from half a second', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(n, MID))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test('jitter keeps the wait within 20% either side', () => {
    expect([backoffMs(0, LOW), backoffMs(0, HIGH)]).toEqual([400, 600]);
    expect([backoffMs(3, LOW), backoffMs(3, HIGH)]).toEqual([3200, 4800]);
  });

  test('the wait is capped at five minutes before jitter, however many attempts', () => {
    expect([backoffMs(10, MID), backoffMs(14, MID), backoffMs(1000, MID)]).toEqual([300_000, 300_000, 300_000]);
    expect([backoffMs(1000, LOW), backoffMs(1000, HIGH)]).toEqual([240_000, 360_000]);
  });

  test('for any attempt count and any random draw the wait is a whole number of ms between 400 ms and 6 minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, r) => {
        const wait = backoffMs(attempts, () => r);
        const base = Math.min(500 * 2 ** attempts, 300_000);
        expect(Number.isInteger(wait)).toBe(true);
        expect(wait).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(wait).toBeLessThanOrEqual(Math.ceil(base * 1.2));
      }),
      { numRuns: 200 },
    );
  });

  test('after about half an hour of doubling, a notice is retried every five minutes', () => {
    const total = Array.from({ length: 14 }, (_, n) => backoffMs(n, MID)).reduce((a, b) => a + b, 0);
    expect(total).toBe(500 + 1000 + 2000 + 4000 + 8000 + 16_000 + 32_000 + 64_000 + 128_000 + 256_000 + 4 * 300_000);
    expect(total / 60_000).toBeGreaterThan(28);
    expect(total / 60_000).toBeLessThan(32);
  });
});

describe('stillWorthRetrying', () => {
  const card: Notice = { kind: 'post_card' };
  test('a notice is retried for a day after it was queued, whatever the number of attempts', () => {
    expect(RETRY_FOR_MS).toBe(24 * 60 * 60_000);
    expect(stillWorthRetrying(card, 1_000, 1_000)).toBe(true);
    expect(stillWorthRetrying(card, 1_000, 1_000 + 2 * 60 * 60_000)).toBe(true);
    expect(stillWorthRetrying(card, 1_000, 1_000 + RETRY_FOR_MS - 1)).toBe(true);
    expect(stillWorthRetrying(card, 1_000, 1_000 + RETRY_FOR_MS)).toBe(false);
  });

  test('an answer to what someone just did is retried for half an hour only (a response_url lasts that long)', () => {
    const answers: Notice[] = [
      { kind: 'ephemeral', userId: 'U1', channel: 'C1', text: 'not yours' },
      { kind: 'respond', responseUrl: 'https://hooks.slack.test/1', text: 'recorded' },
      { kind: 'confirm_flag', userId: 'U1', channel: 'C1', responseUrl: undefined },
    ];
    for (const notice of answers) {
      expect(stillWorthRetrying(notice, 0, ANSWER_RETRY_FOR_MS - 1)).toBe(true);
      expect(stillWorthRetrying(notice, 0, ANSWER_RETRY_FOR_MS)).toBe(false);
    }
    expect(stillWorthRetrying({ kind: 'notify_flagger', note: { what: 'flagged' } }, 0, ANSWER_RETRY_FOR_MS)).toBe(true);
  });
});

describe('stillWorthLooking', () => {
  test('a post that may have landed is looked for an hour past its day, an answer to someone never', () => {
    const card: Notice = { kind: 'post_card' };
    expect(stillWorthLooking(card, 0, RETRY_FOR_MS + LAST_LOOK_FOR_MS - 1)).toBe(true);
    expect(stillWorthLooking(card, 0, RETRY_FOR_MS + LAST_LOOK_FOR_MS)).toBe(false);
    expect(stillWorthLooking({ kind: 'respond', responseUrl: 'https://hooks.slack.test/1', text: 'recorded' }, 0, ANSWER_RETRY_FOR_MS)).toBe(false);
  });
});
