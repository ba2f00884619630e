import type { Notice } from '../../src/core/notice';
import { Pacing } from '../../src/delivery/pacing';
import { pacingKey } from '../../src/delivery/pacing-key';
import type { OutboxRow } from '../../src/store/outbox';
import { PEOPLE, T0 } from '../core/fixtures';

const ANA_URL = 'https://hooks.slack.com/commands/T1/1/ana';
const BEA_URL = 'https://hooks.slack.com/commands/T1/2/bea';

function rowOf(notice: Notice): OutboxRow {
  return { id: 1, momentId: undefined, lane: undefined, notice, attempts: 0, firstAttemptAt: undefined, uncertain: false, createdAt: T0 };
}

const keyOf = (notice: Notice) => pacingKey(rowOf(notice), () => undefined);

describe('pacingKey', () => {
  test('each response_url is a queue of its own, shared by the answers and the flag confirmation sent through it', () => {
    const ana = keyOf({ kind: 'respond', responseUrl: ANA_URL, text: 'Flagging…' });
    expect(keyOf({ kind: 'respond', responseUrl: BEA_URL, text: 'Flagging…' })).not.toBe(ana);
    expect(keyOf({ kind: 'confirm_flag', userId: PEOPLE.ana, channel: undefined, responseUrl: ANA_URL })).toBe(ana);
  });

  test('a flag confirmation without a response_url waits with the flagger\'s DMs', () => {
    expect(keyOf({ kind: 'confirm_flag', userId: PEOPLE.ana, channel: undefined, responseUrl: undefined })).toBe(
      keyOf({ kind: 'dm_reviewer', userId: PEOPLE.ana, why: 'review' }),
    );
  });
});

describe('Pacing', () => {
  test('a queue held after a post waits until its time, and only the longest hold counts', () => {
    const pacing = new Pacing();
    pacing.holdUntil('channel:C1', T0 + 1000);
    pacing.holdUntil('channel:C1', T0 + 500);
    expect(pacing.pausedUntil('channel:C1')).toBe(T0 + 1000);
    expect(pacing.pausedUntil('channel:C2')).toBe(0);
  });

  test('a 429 on one update pauses every update queue, and no post queue', () => {
    const pacing = new Pacing();
    pacing.rateLimited('update:channel:C1', T0 + 2000);
    expect(pacing.pausedUntil('update:user:U1')).toBe(T0 + 2000);
    expect(pacing.pausedUntil('channel:C1')).toBe(0);
  });

  test('holds that have run out are forgotten and live ones kept, so one key per response_url does not pile up', () => {
    // given a thousand answers rate limited once each, and one channel still paced
    const pacing = new Pacing();
    for (let i = 0; i < 1000; i += 1) pacing.rateLimited(`response_url:https://hooks.slack.com/commands/T1/${i}/x`, T0 + 1000);
    pacing.holdUntil('channel:C1', T0 + 5000);
    // when their time has passed
    pacing.prune(T0 + 1000);
    // then only the live hold is kept, and it still holds
    expect(pacing.size).toBe(1);
    expect(pacing.pausedUntil('channel:C1')).toBe(T0 + 5000);
  });
});
