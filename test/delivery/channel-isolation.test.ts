import { ACTION } from '../../src/slack/ids';
import { runCommand } from '../../src/workflow/run-command';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { audit, cardsByMoment } from './audit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a 429 in the crisis channel pauses only that channel: review cards keep flowing meanwhile', async () => {
  // Given Slack answers 429 (Retry-After 2 s) to every post in the crisis channel for about 3 s.
  const started = Date.now();
  h.standIn.inject({ method: 'chat.postMessage', channel: CRISIS_CHANNEL, untilMs: started + 3000, fault: { kind: 'rate_limited', retryAfterSec: 2 } });

  // When two crisis moments are flagged, then review moments keep coming in over the next half second.
  expect((await h.command(PEOPLE.flagger, 'Recall notice draft #crisis')).status).toBe(200);
  expect((await h.command(PEOPLE.flagger, 'Outage statement #crisis')).status).toBe(200);
  for (let i = 1; i <= 5; i += 1) {
    expect((await h.command(PEOPLE.flagger, `Match day post ${i} #sports`)).status).toBe(200);
    await sleep(100);
  }
  await h.app.worker.settled(15_000);

  // Then every review card was posted well before the crisis channel's first successful post.
  const cardCalls = (channel: string) =>
    h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === undefined);
  const crisisOk = cardCalls(CRISIS_CHANNEL).filter((c) => c.status === 200);
  const reviewOk = cardCalls(REVIEW_CHANNEL).filter((c) => c.status === 200);
  expect(reviewOk).toHaveLength(5);
  expect(crisisOk).toHaveLength(2);
  const firstCrisisAt = Math.min(...crisisOk.map((c) => c.at));
  const lastReviewAt = Math.max(...reviewOk.map((c) => c.at));
  expect(firstCrisisAt - started).toBeGreaterThanOrEqual(3000);
  expect(lastReviewAt).toBeLessThan(firstCrisisAt - 1000);
  // Each review card went out within a moment of its flag (no waiting behind the paused channel).
  const reviewRows = audit(h.standIn, h.databasePath);
  for (const row of reviewRows.rows.filter((r) => r.kind === 'post_card' && r.momentId! > 2)) {
    const created = h.app.store.moments.get(row.momentId!)!.createdAt;
    const call = reviewOk.find((c) => c.response && (c.response as { ts?: string }).ts === row.resultTs)!;
    expect(call.at - created).toBeLessThan(1000);
  }
  // The crisis channel honoured Retry-After: a couple of refused tries, not a hammering.
  const refused = cardCalls(CRISIS_CHANNEL).filter((c) => c.status === 429);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(refused.length).toBeLessThanOrEqual(3);
  // And still exactly once each.
  expect(reviewRows.doubled).toEqual([]);
  expect(reviewRows.lost).toEqual([]);
  expect(reviewRows.open).toBe(0);
  const cards = cardsByMoment(reviewRows);
  for (let id = 1; id <= 7; id += 1) expect(cards.get(id)).toHaveLength(1);
  // eslint-disable-next-line no-console
  console.log(`isolation: last review card ${lastReviewAt - started} ms, first crisis card ${firstCrisisAt - started} ms after the 429s began; ${refused.length} refused crisis posts`);
});

test('a backlog larger than one look on a paused channel never hides the rows queued behind it for other channels', async () => {
  // Given Slack answers 429 (Retry-After 3 s) to every ephemeral in the crisis channel for 3 s,
  // and 400 ephemerals for the crisis channel queued before 3 for the review channel, all at once.
  const started = Date.now();
  h.standIn.inject({ method: 'chat.postEphemeral', channel: CRISIS_CHANNEL, untilMs: started + 3000, fault: { kind: 'rate_limited', retryAfterSec: 3 } });
  const ephemeral = (channel: string, i: number) => ({ kind: 'ephemeral' as const, userId: PEOPLE.flagger, channel, text: `note ${i}` });
  h.app.store.transaction(() => {
    h.app.store.outbox.enqueue(undefined, Array.from({ length: 400 }, (_, i) => ephemeral(CRISIS_CHANNEL, i)), started);
    h.app.store.outbox.enqueue(undefined, [1, 2, 3].map((i) => ephemeral(REVIEW_CHANNEL, i)), started);
  });

  // When the worker is told
  h.app.worker.kick();
  await sleep(1500);

  // Then the review channel's three went out at once, one after the other, while the crisis channel waits.
  const review = h.standIn.callsTo('chat.postEphemeral').filter((c) => c.params.channel === REVIEW_CHANNEL && c.status === 200);
  expect(review.map((c) => c.params.text)).toEqual(['note 1', 'note 2', 'note 3']);
  expect(Math.max(...review.map((c) => c.at)) - started).toBeLessThan(1000);
  const crisisSent = h.standIn.callsTo('chat.postEphemeral').filter((c) => c.params.channel === CRISIS_CHANNEL && c.status === 200);
  expect(crisisSent).toHaveLength(0);
});

test('with memory full of rows waiting on a paused channel, newer rows wait in the database and still all go out', async () => {
  // Given a worker that holds at most 5 waiting rows, and Slack refusing the crisis channel's ephemerals for 1 s
  await h.close();
  h = await startHarness({ worker: { maxWaiting: 5 } });
  const started = Date.now();
  h.standIn.inject({ method: 'chat.postEphemeral', channel: CRISIS_CHANNEL, untilMs: started + 1000, fault: { kind: 'rate_limited', retryAfterSec: 1 } });
  const ephemeral = (channel: string, i: number) => ({ kind: 'ephemeral' as const, userId: PEOPLE.flagger, channel, text: `note ${i}` });
  // When 12 rows for the crisis channel and 4 for the review channel are queued at once
  h.app.store.transaction(() => {
    h.app.store.outbox.enqueue(undefined, Array.from({ length: 12 }, (_, i) => ephemeral(CRISIS_CHANNEL, i)), started);
    h.app.store.outbox.enqueue(undefined, [1, 2, 3, 4].map((i) => ephemeral(REVIEW_CHANNEL, i)), started);
  });
  h.app.worker.kick();
  await h.app.worker.settled(15_000);

  // Then every row went out once, each channel's in order.
  const sent = (channel: string) =>
    h.standIn
      .callsTo('chat.postEphemeral')
      .filter((c) => c.params.channel === channel && c.status === 200)
      .map((c) => c.params.text);
  expect(sent(CRISIS_CHANNEL)).toEqual(Array.from({ length: 12 }, (_, i) => `note ${i}`));
  expect(sent(REVIEW_CHANNEL)).toEqual(['note 1', 'note 2', 'note 3', 'note 4']);
  expect(h.app.store.outbox.stats()).toMatchObject({ open: 0, failed: 0 });
});

test('a card update and a DM update do not wait behind the posts queued for their channel', async () => {
  // Given Greenlight paces posts at about one a second per channel, and four sports moments are flagged at once
  await h.close();
  h = await startHarness({ postsPerSecondPerChannel: 1 });
  for (let i = 1; i <= 4; i += 1) expect((await h.command(PEOPLE.flagger, `Match day post ${i} #sports`)).status).toBe(200);
  const cardPosts = () => h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === REVIEW_CHANNEL && c.params.thread_ts === undefined && c.status === 200);
  while (cardPosts().length === 0) await sleep(20);

  // When the first card is approved while the other three cards (and Ana's other DMs) still wait for their turn
  const clickedAt = Date.now();
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await h.app.worker.settled(20_000);

  // Then the first card and Ana's DM about it were updated at once (well before the three cards still queued, a second apart), before the last card was posted
  const firstCard = cardPosts()[0]!;
  const updates = h.standIn.callsTo('chat.update').filter((c) => c.status === 200);
  const cardUpdate = updates.find((c) => c.params.channel === REVIEW_CHANNEL && c.params.ts === (firstCard.response as { ts?: string }).ts)!;
  const dmUpdate = updates.find((c) => c.params.channel === h.standIn.dmChannelFor(PEOPLE.ana))!;
  const lastCardAt = Math.max(...cardPosts().map((c) => c.at));
  expect(cardPosts()).toHaveLength(4);
  expect(cardUpdate.at - clickedAt).toBeLessThan(2000);
  expect(dmUpdate.at - clickedAt).toBeLessThan(2000);
  expect(cardUpdate.at).toBeLessThan(lastCardAt);
  // And the posts kept their pace: the approval's thread reply took its turn among the cards.
  const posts = h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === REVIEW_CHANNEL && c.status === 200).map((c) => c.at);
  for (let i = 1; i < posts.length; i += 1) expect(posts[i]! - posts[i - 1]!).toBeGreaterThanOrEqual(1000);
});

test('an approval pressed while the card\'s post is still being answered shows on the card before the channel\'s queued posts', async () => {
  // Given Greenlight paces posts at one a second per channel, Slack takes 400 ms to answer the first card's post,
  // and four sports moments are flagged at once
  await h.close();
  h = await startHarness({ postsPerSecondPerChannel: 1 });
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'slow', delayMs: 400 } });
  for (let i = 1; i <= 4; i += 1) expect((await h.command(PEOPLE.flagger, `Match day post ${i} #sports`)).status).toBe(200);

  // When Ana approves the first moment (from her DM) once its card is in the channel, before Slack's answer reached Greenlight
  while (h.standIn.messages(REVIEW_CHANNEL).length === 0) await sleep(5);
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await h.app.worker.settled(20_000);

  // Then the card showed the approval at once: before the thread reply saying so, which takes its turn behind the other cards
  const firstCard = h.standIn.messages(REVIEW_CHANNEL)[0]!;
  expect(firstCard.text).toContain('approved');
  const cardUpdates = h.standIn.callsTo('chat.update').filter((c) => c.status === 200 && c.params.ts === firstCard.ts);
  const posts = h.standIn.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.params.channel === REVIEW_CHANNEL);
  const reply = posts.find((c) => c.params.thread_ts === firstCard.ts)!;
  expect(cardUpdates).toHaveLength(1);
  expect(cardUpdates[0]!.at).toBeLessThan(reply.at);
  expect(cardUpdates[0]!.at).toBeLessThan(Math.max(...posts.filter((c) => c.params.thread_ts === undefined).map((c) => c.at)));
  const rows = audit(h.standIn, h.databasePath);
  expect(rows.doubled).toEqual([]);
  expect(rows.outOfOrder).toEqual([]);
  expect(rows.open).toBe(0);
});

test("a 429 on a card update pauses every update (Slack limits chat.update per workspace), not the channels' posts", async () => {
  // Given a crisis moment and a sports moment, each with its card posted
  expect((await h.command(PEOPLE.flagger, 'Recall notice draft #crisis')).status).toBe(200);
  expect((await h.command(PEOPLE.flagger, 'Match day post #sports')).status).toBe(200);
  await h.app.worker.settled(10_000);
  // and Slack answers 429 (Retry-After 2 s) to updates in the crisis channel for a moment
  const started = Date.now();
  h.standIn.inject({ method: 'chat.update', channel: CRISIS_CHANNEL, untilMs: started + 1000, fault: { kind: 'rate_limited', retryAfterSec: 2 } });

  // When Cal approves the crisis moment (its update is refused), then Ana approves the sports moment
  expect((await h.click(PEOPLE.cal, ACTION.approve, '1:1')).status).toBe(200);
  while (!h.standIn.callsTo('chat.update').some((c) => c.status === 429)) await sleep(20);
  const limitedAt = h.standIn.callsTo('chat.update').find((c) => c.status === 429)!.at;
  expect((await h.click(PEOPLE.ana, ACTION.approve, '2:1')).status).toBe(200);
  // and a new sports moment is flagged meanwhile
  expect((await h.command(PEOPLE.flagger, 'Half-time post #sports')).status).toBe(200);
  await h.app.worker.settled(15_000);

  // Then the sports card's update waited out the Retry-After, though it is another channel
  const cardTs = (channel: string) => h.standIn.messages(channel).find((m) => m.threadTs === undefined)!.ts;
  // (each card's first update, naming its reviewers, went out before the 429s)
  const updatesOf = (channel: string) =>
    h.standIn.callsTo('chat.update').filter((c) => c.status === 200 && c.at >= started && c.params.channel === channel && c.params.ts === cardTs(channel));
  expect(updatesOf(REVIEW_CHANNEL)).toHaveLength(1);
  expect(updatesOf(REVIEW_CHANNEL)[0]!.at - limitedAt).toBeGreaterThanOrEqual(2000);
  expect(updatesOf(CRISIS_CHANNEL)).toHaveLength(1);
  // while the new card, a post, went out at once (the approval's thread reply follows its card's update, in order)
  const cardPosts = h.standIn.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.params.channel === REVIEW_CHANNEL && c.params.thread_ts === undefined);
  expect(cardPosts).toHaveLength(2);
  expect(cardPosts[1]!.at - limitedAt).toBeLessThan(1500);
  const reply = h.standIn.callsTo('chat.postMessage').find((c) => c.status === 200 && c.params.channel === REVIEW_CHANNEL && c.params.thread_ts !== undefined)!;
  expect(reply.at).toBeGreaterThan(updatesOf(REVIEW_CHANNEL)[0]!.at);
  const rows = audit(h.standIn, h.databasePath);
  expect(rows.doubled).toEqual([]);
  expect(rows.open).toBe(0);
});

test("a second decision shows on the card at once while the first one's thread reply waits its turn behind the channel's queued cards", async () => {
  // Given Greenlight paces posts at one a second per channel, and four crisis moments (comms and legal must both
  // approve) are flagged at once
  await h.close();
  h = await startHarness({ postsPerSecondPerChannel: 1 });
  for (let i = 1; i <= 4; i += 1) expect((await h.command(PEOPLE.flagger, `Recall notice ${i}`)).status).toBe(200);
  const cardPosts = () => h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === CRISIS_CHANNEL && c.params.thread_ts === undefined && c.status === 200);
  while (cardPosts().length === 0) await sleep(5);

  // When Cal approves the first moment, and Leo approves it right after: the thread reply about Cal's approval waits
  // behind the three cards still queued
  expect((await h.click(PEOPLE.cal, ACTION.approve, '1:1')).status).toBe(200);
  expect((await h.click(PEOPLE.leo, ACTION.approve, '1:1')).status).toBe(200);
  await h.app.worker.settled(20_000);

  // Then the card showed the outcome, without its buttons, at once: before the channel's last queued card was posted,
  // and before the thread replies about either approval
  const firstCard = h.standIn.messages(CRISIS_CHANNEL)[0]!;
  expect(firstCard.text).toContain('approved');
  const closing = h.standIn.callsTo('chat.update').find((c) => c.status === 200 && c.params.ts === firstCard.ts && !JSON.stringify(c.params.blocks).includes(ACTION.approve))!;
  const replies = h.standIn.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.params.thread_ts === firstCard.ts);
  expect(replies.length).toBeGreaterThan(0);
  expect(closing.at).toBeLessThan(Math.min(...replies.map((c) => c.at)));
  expect(closing.at).toBeLessThan(Math.max(...cardPosts().map((c) => c.at)));
  const rows = audit(h.standIn, h.databasePath);
  expect(rows.doubled).toEqual([]);
  expect(rows.outOfOrder).toEqual([]);
  expect(rows.open).toBe(0);
});

test("a reviewer's DM loses its buttons at once when the moment closes while reminders to them still wait their turn", async () => {
  // Given Greenlight paces posts at one a second per channel (a person's DM too), and four sports moments for brand
  // (ana, bea) delivered
  await h.close();
  h = await startHarness({ postsPerSecondPerChannel: 1 });
  for (let i = 1; i <= 4; i += 1) expect((await h.command(PEOPLE.flagger, `Match day post ${i} #sports`)).status).toBe(200);
  await h.app.worker.settled(20_000);
  // and their reminders come due: Ana's four go out a second apart
  h.advance(16 * 60_000);
  expect(h.app.scanner.sweep().applied).toBe(4);
  h.app.worker.kick();
  const anaDm = h.standIn.dmChannelFor(PEOPLE.ana);
  await h.standIn.waitFor(() => h.standIn.messages(anaDm).some((m) => m.text.includes('Reminder')), 5000, "Ana's first reminder");

  // When Bea approves the last moment, before Ana's reminder about it had its turn
  expect((await h.click(PEOPLE.bea, ACTION.approve, '4:1')).status).toBe(200);
  await h.app.worker.settled(20_000);

  // Then Ana's review DM of it lost its buttons at once, before her other reminders went; nor was she reminded of it
  const review = h.app.store.messages.dmsTo(4, PEOPLE.ana)[0]!;
  const update = h.standIn.callsTo('chat.update').find((c) => c.status === 200 && c.params.channel === anaDm && c.params.ts === review.ts)!;
  const reminders = h.standIn.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.params.channel === anaDm && String(c.params.text).includes('Reminder'));
  expect(update.at).toBeLessThan(Math.max(...reminders.map((c) => c.at)));
  expect(JSON.stringify(h.standIn.messages(anaDm).find((m) => m.ts === review.ts)!.blocks)).not.toContain(ACTION.approve);
  expect(h.standIn.messages(anaDm).filter((m) => m.text.includes('Reminder'))).toHaveLength(3);
}, 40_000);

test("the flagger's request for changes loses its Revise… at once when they revise while their reminders still wait their turn", async () => {
  // Given Greenlight paces posts at one a second per channel, four sports moments sent back for changes by Bea
  await h.close();
  h = await startHarness({ postsPerSecondPerChannel: 1 });
  for (let i = 1; i <= 4; i += 1) expect((await h.command(PEOPLE.flagger, `Match day post ${i} #sports`)).status).toBe(200);
  await h.app.worker.settled(20_000);
  const by = (userId: string) => ({ userId, currentRoles: undefined });
  const reply = (userId: string) => ({ userId, channel: undefined, responseUrl: undefined });
  for (let id = 1; id <= 4; id += 1) {
    expect(runCommand(h.app.store, id, { kind: 'request_changes', actor: by(PEOPLE.bea), comment: 'Softer' }, reply(PEOPLE.bea), `press:${id}`, h.now()).kind).toBe('done');
  }
  h.app.worker.kick();
  await h.app.worker.settled(20_000);
  // and the flagger's four reminders come due, going out a second apart
  h.advance(16 * 60_000);
  expect(h.app.scanner.sweep().applied).toBe(4);
  h.app.worker.kick();
  const flaggerDm = h.standIn.dmChannelFor(PEOPLE.flagger);
  await h.standIn.waitFor(() => h.standIn.messages(flaggerDm).some((m) => /reminder/i.test(m.text)), 5000, "the flagger's first reminder");

  // When the flagger sends the last moment's revision before its reminder had its turn
  const content = { title: 'Match day post 4', copy: 'Kinder words', link: undefined, urgency: 'normal' as const };
  expect(runCommand(h.app.store, 4, { kind: 'revise', actor: by(PEOPLE.flagger), content, revision: 1 }, reply(PEOPLE.flagger), 'form:4', h.now()).kind).toBe('done');
  h.app.worker.kick();
  await h.app.worker.settled(20_000);

  // Then the request's DM lost its Revise… at once, before the reminders about the other moments went
  const asked = h.app.store.messages.flaggerNotes(4).find((n) => n.note.what === 'request_changes')!;
  const update = h.standIn.callsTo('chat.update').find((c) => c.status === 200 && c.params.channel === flaggerDm && c.params.ts === asked.ts)!;
  const reminders = h.standIn.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.params.channel === flaggerDm && /reminder/i.test(String(c.params.text)));
  expect(update.at).toBeLessThan(Math.max(...reminders.map((c) => c.at)));
  expect(JSON.stringify(h.standIn.messages(flaggerDm).find((m) => m.ts === asked.ts)!.blocks)).not.toContain(ACTION.revise);
}, 40_000);

test("a crisis moment's last approval shows on its card while the first approval's thread reply is still being answered", async () => {
  // Given a crisis moment (comms and legal must approve), its card posted
  expect((await h.command(PEOPLE.flagger, 'Recall notice draft #crisis')).status).toBe(200);
  await h.app.worker.settled(10_000);
  const card = h.onlyCard(CRISIS_CHANNEL);
  // and Slack taking 5 s to answer the next post in the crisis channel (Cal's approval's thread reply)
  h.standIn.inject({ method: 'chat.postMessage', channel: CRISIS_CHANNEL, times: 1, fault: { kind: 'slow', delayMs: 5000 } });

  // When Cal approves, and Leo approves once Cal's reply is in the thread (Slack has not answered yet)
  expect((await h.click(PEOPLE.cal, ACTION.approve, '1:1')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.messages(CRISIS_CHANNEL).some((m) => m.threadTs === card.ts), 5000, "Cal's thread reply");
  expect((await h.click(PEOPLE.leo, ACTION.approve, '1:1')).status).toBe(200);

  // Then the card shows the moment approved, without its buttons, before Slack answers Cal's reply
  await h.standIn.waitFor(() => !JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks).includes(ACTION.approve), 4000, 'the card without its buttons');
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  await h.app.worker.settled(20_000);
});
