import { WebClient } from '@slack/web-api';
import Database from 'better-sqlite3';
import { NOTICE_EVENT_TYPE } from '../../src/delivery/post-once';
import { buildCard } from '../../src/slack/blocks/card';
import { ACTION } from '../../src/slack/ids';
import { loadView } from '../../src/workflow/moment-view';
import { BOT_TOKEN } from '../helpers/slack-requests';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { audit, cardsByMoment, outboxIdOf } from './audit';

let h: Harness;
beforeEach(async () => {
  // FULL, as in production: claims and results wait for their fsync, which runs off the event loop.
  h = await startHarness({ synchronous: 'FULL' });
});
afterEach(async () => {
  await h.close();
});

/** Plain JSON, the way the stand-in stored what it was sent. */
const asSent = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('under 429s, landed 500/503s, slow answers and internal_error (landed or not), every notice arrives exactly once and in order', async () => {
  const started = Date.now();
  // Given a stretch of faults, checked in this order by the stand-in.
  h.standIn.inject({ method: 'chat.postMessage', channel: CRISIS_CHANNEL, untilMs: started + 2500, fault: { kind: 'rate_limited', retryAfterSec: 1 } });
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 3, fault: { kind: 'http_error', status: 500, landed: true } });
  h.standIn.inject({ method: 'chat.postMessage', times: 2, fault: { kind: 'http_error', status: 503, landed: true } });
  h.standIn.inject({ method: 'chat.postMessage', times: 2, fault: { kind: 'slack_error', error: 'internal_error' } });
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'slack_error', error: 'fatal_error', landed: true } });
  h.standIn.inject({ method: 'chat.postMessage', times: 1, fault: { kind: 'http_error', status: 502 } });
  h.standIn.inject({ method: 'chat.postMessage', times: 3, fault: { kind: 'slow', delayMs: 1200 } });
  h.standIn.inject({ method: 'chat.update', times: 2, fault: { kind: 'slack_error', error: 'internal_error' } });
  h.standIn.inject({ method: 'chat.update', times: 1, fault: { kind: 'http_error', status: 503, landed: true } });
  h.standIn.inject({ method: 'conversations.history', times: 1, fault: { kind: 'slack_error', error: 'internal_error' } });
  h.standIn.inject({ method: 'conversations.open', times: 1, fault: { kind: 'http_error', status: 502 } });

  // When six sports and two crisis moments are flagged, and some are decided while the faults last.
  for (let i = 1; i <= 6; i += 1) expect((await h.command(PEOPLE.flagger, `Sports moment ${i} #sports`)).status).toBe(200);
  for (let i = 7; i <= 8; i += 1) expect((await h.command(PEOPLE.flagger, `Crisis moment ${i} #crisis`)).status).toBe(200);
  for (const id of [1, 2, 3]) expect((await h.click(PEOPLE.ana, ACTION.approve, `${id}:1`)).status).toBe(200);
  expect((await h.click(PEOPLE.flagger, ACTION.withdraw, '4:1')).status).toBe(200);
  expect((await h.click(PEOPLE.cal, ACTION.approve, '7:1')).status).toBe(200);
  expect((await h.click(PEOPLE.leo, ACTION.approve, '7:1')).status).toBe(200);
  expect((await h.click(PEOPLE.cal, ACTION.approve, '8:1')).status).toBe(200);

  await h.app.worker.settled(20_000);
  const elapsedMs = Date.now() - started;

  // Then the outbox is empty and nothing was given up.
  const result = audit(h.standIn, h.databasePath);
  expect(h.app.store.outbox.stats()).toMatchObject({ open: 0, failed: 0 });
  expect(result.doubled).toEqual([]);
  expect(result.lost).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(result.mismatched).toEqual([]);
  expect(result.outOfOrder).toEqual([]);

  // Every moment has exactly one card, and it shows the moment's final state.
  const cards = cardsByMoment(result);
  const statuses: Record<number, string> = { 1: 'approved', 2: 'approved', 3: 'approved', 4: 'withdrawn', 5: 'pending', 6: 'pending', 7: 'approved', 8: 'pending' };
  for (let id = 1; id <= 8; id += 1) {
    const view = loadView(h.app.store, id)!;
    expect(view.moment.state.status).toBe(statuses[id]);
    expect(cards.get(id)).toHaveLength(1);
    const card = cards.get(id)![0]!;
    expect(card.channel).toBe(id >= 7 ? CRISIS_CHANNEL : REVIEW_CHANNEL);
    expect(h.app.store.moments.card(id)?.ts).toBe(card.ts);
    const final = buildCard(view);
    expect({ text: card.text, blocks: card.blocks }).toEqual(asSent(final));
    // Its thread holds one reply per thread note, in the order they were queued.
    const notes = result.rows.filter((r) => r.momentId === id && r.kind === 'thread_note');
    expect(notes.every((r) => r.outcome === 'sent')).toBe(true);
    const replies = h.standIn.messages(card.channel).filter((m) => m.threadTs === card.ts);
    expect(replies.map(outboxIdOf)).toEqual(notes.map((r) => r.id));
  }
  // Top-level messages in the review channels are the cards, nothing else.
  expect(h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(6);
  expect(h.standIn.messages(CRISIS_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(2);

  // Each reviewer got one review DM per moment; closed moments' DMs lost their buttons, and an approver's its Approve.
  const dms = (user: string) => h.standIn.messages(h.standIn.dmChannelFor(user));
  expect(dms(PEOPLE.ana)).toHaveLength(6);
  expect(dms(PEOPLE.bea)).toHaveLength(6);
  expect(dms(PEOPLE.cal)).toHaveLength(2);
  expect(dms(PEOPLE.leo)).toHaveLength(2);
  for (const user of [PEOPLE.ana, PEOPLE.bea, PEOPLE.cal, PEOPLE.leo]) {
    for (const dm of dms(user)) {
      const id = result.rows.find((r) => r.id === outboxIdOf(dm))?.momentId ?? 0;
      const closed = ['approved', 'withdrawn'].includes(statuses[id] ?? '');
      const approved = h.app.store.reviews.decisions(id).some((d) => d.action === 'approve' && d.userId === user);
      expect(JSON.stringify(dm.blocks).includes(ACTION.approve)).toBe(!closed && !approved);
    }
  }
  // The flagger heard each outcome once (three sports approvals, the crisis approval), but not of the withdrawal they
  // pressed themselves.
  expect(dms(PEOPLE.flagger)).toHaveLength(4);
  // Every flag was confirmed once, through its response_url, with the card's permalink.
  const confirmations = h.standIn.responses(`cmd-${PEOPLE.flagger}`);
  expect(confirmations).toHaveLength(8);
  expect(confirmations.every((r) => String(r.body.text).includes('See the card'))).toBe(true);

  // The faults really happened.
  const failedPosts = h.standIn.callsTo('chat.postMessage').filter((c) => c.status !== 200);
  expect(failedPosts.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(1);
  expect(failedPosts.filter((c) => c.status >= 500)).toHaveLength(6);
  // Each of the six posts that may have landed was looked for before being tried again (one look failed once).
  const looks = h.standIn.callsTo('conversations.history').length + h.standIn.callsTo('conversations.replies').length;
  expect(looks).toBeGreaterThanOrEqual(6);
  const sent = result.outcomes.sent ?? 0;
  // eslint-disable-next-line no-console
  console.log(`faults: ${sent} notices sent (${result.outcomes.skipped ?? 0} skipped) in ${elapsedMs} ms; ${h.standIn.calls.length} Slack calls, ${failedPosts.length} failed posts`);
});

test('the audit itself notices a post stored twice under one outbox id', async () => {
  // Given one delivered moment.
  await h.command(PEOPLE.flagger, 'Audit check #sports');
  await h.settle();
  expect(audit(h.standIn, h.databasePath).doubled).toEqual([]);
  // When a second message with the card's outbox id appears (what a blind re-post would leave).
  const cardRow = audit(h.standIn, h.databasePath).rows.find((r) => r.kind === 'post_card')!;
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: h.standIn.url, retryConfig: { retries: 0 } });
  await client.chat.postMessage({ channel: REVIEW_CHANNEL, text: 'again', metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outbox_id: cardRow.id } } });
  // Then the audit reports it.
  expect(audit(h.standIn, h.databasePath).doubled).toEqual([{ outboxId: cardRow.id, count: 2 }]);
  expect(cardsByMoment(audit(h.standIn, h.databasePath)).get(1)).toHaveLength(2);
});

test("after a lost answer, a message someone else wrote with Greenlight's metadata is not taken for the card", async () => {
  // given a member's message in the review channel carrying the metadata of the next card's outbox row, id and mark
  // (read from the rows of a first moment, whose card is delivered)
  expect((await h.command(PEOPLE.flagger, 'Warm-up post #sports')).status).toBe(200);
  await h.settle();
  const db = new Database(h.databasePath, { readonly: true });
  const last = db.prepare<[], { id: number; mark: string }>('SELECT id, mark FROM outbox ORDER BY id DESC LIMIT 1').get()!;
  db.close();
  const metadata = { event_type: NOTICE_EVENT_TYPE, event_payload: { outbox_id: last.id + 1, mark: last.mark } };
  const planted = h.standIn.postAs(PEOPLE.outsider, REVIEW_CHANNEL, 'lunch anyone?', metadata);
  // and the card's first post failing with its answer lost (it may have landed)
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 503 } });
  // when a moment is flagged
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first')).status).toBe(200);
  await h.settle();
  // then Greenlight looked, found nothing of its own, and posted the card itself
  const cards = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined && m.user !== PEOPLE.outsider);
  expect(cards).toHaveLength(2);
  expect(h.app.store.moments.card(2)?.ts).toBe(cards[1]?.ts);
  expect(h.app.store.moments.card(2)?.ts).not.toBe(planted.ts);
});
