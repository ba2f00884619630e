import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { audit } from './audit';

/**
 * Slack dates a message by its own clock: a host whose clock runs ahead of it (no NTP yet, or about to be stepped back)
 * still finds a post that landed with its answer lost, instead of posting it twice.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

// The host's clock runs two minutes ahead of Slack's (no NTP yet; or it ran ahead and is about to be stepped back).
test('a card that landed with its answer lost is found by the look, on a host clock two minutes ahead of Slack', async () => {
  h = await startHarness();
  h.advance(2 * 60_000);
  // given the card's post lands but its answer is lost (a proxy's 503)
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 503, landed: true } });
  // when a moment is flagged and delivery settles
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first')).status).toBe(200);
  await h.app.worker.settled(20_000);
  // then the review channel holds one card
  const cards = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  expect(audit(h.standIn, h.databasePath).doubled).toEqual([]);
  expect(cards).toHaveLength(1);
});

// The README's own case: a clock that ran ahead (here 10 minutes) is set back by NTP while a post whose answer was lost
// waits for its retry.
test('a card that landed with its answer lost while the clock ran ahead is found after NTP sets the clock back', async () => {
  h = await startHarness();
  h.advance(10 * 60_000);
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 503, landed: true } });
  // the first look is answered 429 (Retry-After 3 s), so the retry is still waiting when the clock is corrected
  h.standIn.inject({ method: 'conversations.history', times: 1, fault: { kind: 'rate_limited', retryAfterSec: 3 } });
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('conversations.history').length > 0, 5000, 'the first look');
  h.advance(-10 * 60_000);
  await h.standIn.waitFor(() => h.app.store.outbox.stats().open === 0, 15_000, 'every row done');
  await h.app.worker.settled(20_000);
  const cards = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  expect(cards).toHaveLength(1);
}, 30_000);
