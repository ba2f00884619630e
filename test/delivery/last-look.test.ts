/**
 * A post whose answer was lost may have landed. Past its retry window (a day) it is looked for a while longer, never
 * posted again: one that landed is recorded, so its updates reach it; one that did not is given up.
 */
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { withReadonly } from './audit';

const DAY = 24 * 60 * 60 * 1000;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    routingYaml: `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 48h
roles:
  brand: { members: [${PEOPLE.ana}] }
topics:
  - name: default
    require: { brand: 1 }
`,
  });
});
afterEach(async () => {
  await h.close();
});

const cards = () => h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
const cardRow = () =>
  withReadonly(h.databasePath, (db) => db.prepare("SELECT outcome, last_error FROM outbox WHERE kind = 'post_card'").get() as { outcome: string | null; last_error: string | null });

/** Flags a moment whose card's first post answers 503 without landing: the row is then retried as maybe-landed. */
async function flagThroughA503(): Promise<void> {
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 503 } });
  expect((await h.command(PEOPLE.flagger, 'Launch tweet: we are live')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.params.channel === REVIEW_CHANNEL), 3000, 'the first attempt');
}

test('a card whose retry comes after its window, lands and loses its answer, is found by a look and its updates reach it', async () => {
  // given Slack answers the card's first post 429 (it did not land), and the retry comes only after the day is over
  // (Greenlight was stopped meanwhile), where it lands but its answer is lost (a proxy's 502)
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 1 } });
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 502, landed: true } });
  expect((await h.command(PEOPLE.flagger, 'Launch tweet: we are live')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.params.channel === REVIEW_CHANNEL), 3000, 'the first attempt');
  h.advance(DAY + 5_000);
  await h.standIn.waitFor(() => cards().length === 1, 5000, 'the card to land');
  // when the look comes
  h.advance(60_000);
  await h.settle();
  // then it found the card instead of giving it up or posting it again: an approval shows on the card
  expect(cards()).toHaveLength(1);
  expect(cardRow()).toMatchObject({ outcome: 'sent' });
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await h.settle();
  expect(cards()[0]?.text).toMatch(/approved/);
});

test('past its window, a card that may have landed and is not found is given up, not posted again', async () => {
  await flagThroughA503();
  // when its next attempt comes after the window
  h.advance(DAY + 1_000);
  await h.settle();
  // then nothing is posted, and the row says why
  expect(cards()).toHaveLength(0);
  expect(cardRow()).toMatchObject({ outcome: 'failed', last_error: expect.stringContaining('not posted again') });
});
