import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { audit } from './audit';

/**
 * A card whose answer was lost may have landed, so Greenlight looks for it before posting again. When that look itself
 * fails for a reason that says nothing about the card (a 429, Slack briefly unavailable), the card may still have
 * landed: the next attempt must look again, not post blind.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test.each([
  ['answered 429', { kind: 'rate_limited', retryAfterSec: 1 } as const],
  ['refused with service_unavailable', { kind: 'slack_error', error: 'service_unavailable' } as const],
])('a card that landed with its answer lost, whose look is then %s, is looked for again and never posted twice', async (_how, lookFault) => {
  // given a card post that lands but whose answer is lost, and a look for it that fails once
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 500, landed: true } });
  h.standIn.inject({ method: 'conversations.history', times: 1, fault: lookFault });

  // when a moment is flagged and every notice has had its retries
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first')).status).toBe(200);
  await h.app.worker.settled(20_000);

  // then the review channel holds one card, recorded as the one sent, and the look that failed was made again
  expect(h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
  const result = audit(h.standIn, h.databasePath);
  expect(result.doubled).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(h.app.store.moments.card(1)?.ts).toBe(h.standIn.messages(REVIEW_CHANNEL)[0]?.ts);
  expect(h.standIn.callsTo('conversations.history').filter((c) => c.status !== 200 || (c.response as { ok?: boolean }).ok === false)).toHaveLength(1);
  expect(h.standIn.callsTo('conversations.history').length).toBeGreaterThanOrEqual(2);
});
