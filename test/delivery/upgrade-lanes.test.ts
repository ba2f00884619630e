import Database from 'better-sqlite3';
import type { WebClient } from '@slack/web-api';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';

/**
 * During an overlapping deploy an older Greenlight (schema 33) may still flag a message after this one migrated: its
 * "flagged for review" reply is queued in the card's lane. The reply this version queues later (in the `source` lane)
 * must not go first (README "Upgrade"; src/store/outbox.ts `ready`).
 */
/**
 * Across an upgrade an older Greenlight, still running while the deploy hands over, queues the flagger's confirmation and
 * the flagged message's replies in the card's lane: they keep their order with this version's, in their own lanes.
 */

let h: Harness;
let slack: WebClient;
beforeEach(async () => {
  h = await startHarness();
  slack = slackClient(h);
});
afterEach(async () => {
  await h.close();
});

test("an outcome reply queued by this version waits for the older Greenlight's 'flagged' reply even when the card's post frees it", async () => {
  const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'Our new ad: dunk in the dark' });
  const sourceTs = posted.ts ?? '';
  // given the review channel failing, so the card is not posted yet
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, fault: { kind: 'http_error', status: 503 } });
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: sourceTs }, item_user: PEOPLE.ana, event_ts: '1.000001' });
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the moment');
  // and its confirmation and thread reply queued as an older Greenlight queues them: in the card's lane
  const db = new Database(h.databasePath);
  db.pragma('busy_timeout = 2000');
  expect(db.prepare("UPDATE outbox SET lane = 'card' WHERE moment_id = 1 AND kind IN ('confirm_flag', 'source_reply')").run().changes).toBe(2);
  db.close();
  // when ana approves (from her DM) before the card is posted, and then the channel is well again
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  h.standIn.clearFaults();
  h.advance(10 * 60_000);
  h.app.worker.kick();
  await h.settle();
  // then the flagged message's thread reads "flagged" before "approved"
  const replies = h.standIn.messages('C0GENERAL').filter((m) => m.threadTs === sourceTs).map((m) => m.text.slice(0, 30));
  expect(replies).toHaveLength(2);
  expect(replies[0]).toMatch(/Flagged for review/);
  expect(replies[1]).toMatch(/Approved/);
});
