import { WebClient } from '@slack/web-api';
import { BOT_TOKEN } from '../helpers/slack-requests';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('a flag reaction stored before a crash becomes exactly one moment when Greenlight resumes', async () => {
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: h.standIn.url, retryConfig: { retries: 0 } });
  const posted = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'Our rival just tweeted about the blackout #sports' });
  const reaction = { eventKey: 'event:Ev0CRASH', channel: 'C0GENERAL', ts: posted.ts!, userId: PEOPLE.flagger, receivedAt: h.now() };
  h.app.store.reactionIntake.add(reaction);

  await h.app.resumeReactions();
  await h.app.resumeReactions();
  await h.settle();

  expect(h.app.store.moments.idForSource('C0GENERAL', posted.ts!)).toBe(1);
  expect(h.app.store.moments.get(2)).toBeUndefined();
  expect(h.app.store.reactionIntake.pending(10)).toEqual([]);
  expect(h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
  const sourceThread = h.standIn.messages('C0GENERAL').filter((m) => m.threadTs === posted.ts);
  expect(sourceThread.map((m) => m.text).join()).toContain('Flagged for review');
});

test('a reaction whose message cannot be read yet stays queued and is retried', async () => {
  h.standIn.inject({ method: 'conversations.history', times: 1, fault: { kind: 'http_error', status: 503 } });
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: h.standIn.url, retryConfig: { retries: 0 } });
  const posted = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'Outage chatter is trending' });
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: posted.ts }, item_user: PEOPLE.ana, event_ts: '1.1' });
  await h.standIn.waitFor(() => h.standIn.callsTo('conversations.history').length >= 1, 5000, 'the first read');
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(h.app.store.reactionIntake.pending(10)).toHaveLength(1);

  await h.app.resumeReactions();
  await h.settle();
  expect(h.app.store.moments.idForSource('C0GENERAL', posted.ts!)).toBe(1);
  expect(h.app.store.moments.get(1)?.topic).toBe('crisis');
});
