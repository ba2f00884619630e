import Database from 'better-sqlite3';
import { WebClient } from '@slack/web-api';
import { BOT_TOKEN } from '../helpers/slack-requests';
import { PEOPLE, REVIEW_CHANNEL, slackClient, startHarness, type Harness } from '../helpers/harness';

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
  expect(sourceThread.map((m) => m.text).join()).toContain('⚡ Flagged for review.');
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

describe('a flag reaction Slack has been told about is never lost', () => {
  let source: string;
  beforeEach(async () => {
    const slack = slackClient(h);
    const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'Our new ad: dunk in the dark' });
    if (!posted.ts) throw new Error('not posted');
    source = posted.ts;
  });

  const zap = () => ({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: source }, item_user: PEOPLE.ana, event_ts: '1.1' });

  test('while another process holds the database, the reaction is not acknowledged; Slack sends it again and it is flagged', async () => {
    const holder = new Database(h.databasePath);
    holder.exec('BEGIN EXCLUSIVE');
    let first: { status: number };
    try {
      first = await h.event(zap(), 'Ev0LOCKED');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(h.countRows('reaction_intake') + h.countRows('moments')).toBe(0);

    // Slack's retry of the same event, once the lock is gone.
    const retry = await h.event(zap(), 'Ev0LOCKED');
    expect(retry.status).toBe(200);
    await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the flagged moment');
    expect(h.app.store.moments.idForSource('C0GENERAL', source)).toBe(1);
  });

  test('made during a 15-minute Slack outage, it becomes a moment once Slack is back', async () => {
    h.standIn.inject({ method: 'conversations.history', fault: { kind: 'http_error', status: 503 } });
    await h.event(zap(), 'Ev0OUTAGE');
    await h.standIn.waitFor(() => h.standIn.callsTo('conversations.history').length >= 1, 5000, 'the first read');
    await h.settle();
    // The resume timer (every 30 s) through 15 minutes of outage.
    for (let i = 0; i < 30; i += 1) {
      h.advance(30_000);
      await h.app.resumeReactions();
    }
    expect(h.countRows('reaction_intake')).toBe(1);

    h.standIn.clearFaults();
    await h.app.resumeReactions();
    await h.settle();
    expect(h.app.store.moments.idForSource('C0GENERAL', source)).toBe(1);
  });

  test('a day after it was made, a reaction whose message still cannot be read is given up', async () => {
    h.standIn.inject({ method: 'conversations.history', fault: { kind: 'http_error', status: 503 } });
    await h.event(zap(), 'Ev0LONGOUTAGE');
    await h.standIn.waitFor(() => h.standIn.callsTo('conversations.history').length >= 1, 5000, 'the first read');
    await h.settle();
    h.advance(24 * 60 * 60_000);
    await h.app.resumeReactions();
    expect(h.countRows('reaction_intake')).toBe(0);
    expect(h.app.store.moments.get(1)).toBeUndefined();
  });

  test('a channel Slack says is gone gives the reaction up at once', async () => {
    h.standIn.inject({ method: 'conversations.history', fault: { kind: 'slack_error', error: 'channel_not_found' } });
    await h.event(zap(), 'Ev0GONE');
    // The give-up is written after Slack's answer arrives, not with it: waited for, bounded (a day, otherwise).
    await h.standIn.waitFor(
      () => h.standIn.callsTo('conversations.history').length === 1 && h.countRows('reaction_intake') === 0,
      5000,
      'the reaction given up after one read',
    );
    expect(h.app.store.moments.get(1)).toBeUndefined();
  });
});
