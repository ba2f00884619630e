import { WebClient } from '@slack/web-api';
import { ACTION } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL } from '../helpers/harness';
import { BOT_TOKEN } from '../helpers/slack-requests';
import { audit, cardsByMoment, outboxIdOf, readOutbox } from './audit';
import { startLatencyProxy } from './latency-proxy';
import { startRig, type Rig } from './rig';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

const FAR = () => Date.now() + 60_000;

test('rows left undelivered by a stopped app are delivered exactly once by the next one on the same database', async () => {
  // Given Slack stores two review-channel posts but answers 503, cannot be searched, and rate-limits every other post.
  const first = await rig.start();
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 2, fault: { kind: 'http_error', status: 503, landed: true } });
  rig.standIn.inject({ method: 'chat.postMessage', untilMs: FAR(), fault: { kind: 'rate_limited', retryAfterSec: 1 } });
  rig.standIn.inject({ method: 'conversations.history', untilMs: FAR(), fault: { kind: 'slack_error', error: 'internal_error' } });
  rig.standIn.inject({ method: 'conversations.replies', untilMs: FAR(), fault: { kind: 'slack_error', error: 'internal_error' } });
  for (let i = 1; i <= 3; i += 1) expect((await first.command(PEOPLE.flagger, `Sports moment ${i} #sports`)).status).toBe(200);
  expect((await first.command(PEOPLE.flagger, 'Recall wording #crisis')).status).toBe(200);
  expect((await first.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  const landed503 = () => rig.standIn.callsTo('chat.postMessage').filter((c) => c.status === 503).length;
  await rig.standIn.waitFor(() => landed503() === 2 && rig.standIn.callsTo('conversations.history').length >= 1, 8000, 'two landed 503s and a failed look');

  // When that app stops with rows open, Slack recovers, and a new app starts on the same database.
  await first.stop();
  const before = readOutbox(rig.databasePath);
  const openBefore = before.filter((r) => r.outcome === null);
  expect(openBefore.length).toBeGreaterThanOrEqual(8);
  expect(openBefore.filter((r) => r.uncertain === 1).length).toBeGreaterThanOrEqual(2);
  const landedIds = rig.standIn.messages().map(outboxIdOf).filter((id): id is number => id !== undefined);
  expect(landedIds).toHaveLength(2);
  rig.standIn.clearFaults();
  const restartedAt = Date.now();
  const second = await rig.start();
  await second.app.worker.settled(15_000);
  const tookMs = Date.now() - restartedAt;

  // Then everything is delivered, the two posts that had landed were found instead of posted again.
  const result = audit(rig.standIn, rig.databasePath);
  expect(result.open).toBe(0);
  expect(result.outcomes.failed ?? 0).toBe(0);
  expect(result.doubled).toEqual([]);
  expect(result.lost).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(result.outOfOrder).toEqual([]);
  for (const id of landedIds) expect(result.messages.filter((m) => outboxIdOf(m) === id)).toHaveLength(1);
  const cards = cardsByMoment(result);
  for (let id = 1; id <= 4; id += 1) expect(cards.get(id)).toHaveLength(1);
  expect(rig.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(3);
  expect(rig.standIn.messages(CRISIS_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
  expect(rig.standIn.messages(rig.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(3);
  expect(rig.standIn.messages(rig.standIn.dmChannelFor(PEOPLE.flagger))).toHaveLength(1);
  expect(second.app.store.moments.get(1)?.state.status).toBe('approved');
  // eslint-disable-next-line no-console
  console.log(`restart: ${openBefore.length} open rows (${openBefore.filter((r) => r.uncertain === 1).length} uncertain) delivered in ${tookMs} ms after the restart`);
});

test('a second app started on the same database while the first still runs does not double any post', async () => {
  // Given two Greenlights on one database (a deploy overlapping the old and the new process); the first is 300 ms
  // away from Slack for posts, so its posts are sent (and marked in flight) some time before they land.
  const far = await startLatencyProxy(rig.standIn.url, 300, ['chat.postMessage']);
  try {
    const one = await rig.start({ apiUrl: far.url });
    const two = await rig.start();
    // When moments are flagged through the first one.
    for (let i = 1; i <= 3; i += 1) expect((await one.command(PEOPLE.flagger, `Overlap ${i} #sports`)).status).toBe(200);
    await Promise.all([one.app.worker.settled(15_000), two.app.worker.settled(15_000)]);

    // Then each notice was posted once, not once per process.
    const result = audit(rig.standIn, rig.databasePath);
    expect(result.open).toBe(0);
    expect(result.doubled).toEqual([]);
    expect(rig.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(3);
  } finally {
    await rig.close();
    await far.close();
  }
});

test('a post that landed before a restart is found even when more than 200 messages followed it in the channel', async () => {
  // Given a card that landed while the app saw a 503 and could not look for it before stopping.
  const first = await rig.start();
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 503, landed: true } });
  rig.standIn.inject({ method: 'conversations.history', untilMs: FAR(), fault: { kind: 'slack_error', error: 'internal_error' } });
  await first.command(PEOPLE.flagger, 'Busy channel #sports');
  await rig.standIn.waitFor(() => rig.standIn.callsTo('conversations.history').length >= 1, 5000, 'a failed look');
  await first.stop();
  rig.standIn.clearFaults();

  // When the channel gets busy (250 people's messages) before the new app starts.
  const people = new WebClient(BOT_TOKEN, { slackApiUrl: rig.standIn.url, retryConfig: { retries: 0 } });
  for (let i = 0; i < 250; i += 1) await people.chat.postMessage({ channel: REVIEW_CHANNEL, text: `chatter ${i}` });
  const second = await rig.start();
  await second.app.worker.settled(10_000);

  // Then the card exists once.
  const result = audit(rig.standIn, rig.databasePath);
  expect(result.open).toBe(0);
  expect(cardsByMoment(result).get(1)).toHaveLength(1);
  expect(result.doubled).toEqual([]);
});
