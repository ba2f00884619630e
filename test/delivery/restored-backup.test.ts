import fs from 'node:fs';
import Database from 'better-sqlite3';
import { OTHER_MOMENT } from '../../src/core/decide';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL } from '../helpers/harness';
import { audit } from './audit';
import { startRig, type Rig } from './rig';

/**
 * The operator restores a backup taken while Greenlight ran (`npm run backup`) after losing the server. Slack still holds
 * everything Greenlight posted since the backup: it is the only record of it, so what the backup holds as still to send
 * is looked for before it is posted.
 */

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

const cards = () => rig.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);

test('a card that was waiting for Slack when the backup was taken, and posted since, is not posted a second time after the restore', async () => {
  // given Slack rate-limits the review channel while a moment is flagged: its card waits in the outbox
  const first = await rig.start();
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 2 } });
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await rig.standIn.waitFor(() => rig.standIn.callsTo('chat.postMessage').some((c) => c.status === 429), 3000, 'the 429');
  // and the nightly backup runs then
  const backup = await rig.backUp();
  // and the card goes out a moment later, as it should
  await first.app.worker.settled(10_000);
  expect(cards()).toHaveLength(1);
  await first.stop();
  // when the backup is restored and Greenlight starts on it
  rig.restore(backup);
  const second = await rig.start();
  await second.app.worker.settled(10_000);
  // then the review channel still has one card for the moment, and the restored moment knows it, so its updates reach it
  expect(cards()).toHaveLength(1);
  expect(second.app.store.moments.card(1)?.ts).toBe(cards()[0]?.ts);
});

test('cards and DMs not yet tried when the backup was taken, and posted since, are not posted again after the restore', async () => {
  // given posts paced at one every two seconds per channel, and three moments flagged at once: the first card and DMs
  // go out, the others wait their turn, never tried
  const first = await rig.start({ postGapMs: 2000 });
  // and Slack slow to answer Bea's first DM: it is on its way, claimed, when the backup is taken
  rig.standIn.inject({ method: 'chat.postMessage', channel: rig.standIn.dmChannelFor(PEOPLE.bea), times: 1, fault: { kind: 'slow', delayMs: 3000 } });
  for (const title of ['Oreo: dunk in the dark', 'Nike: just dunk it', 'Pepsi: fizz in the dark']) await first.command(PEOPLE.flagger, `${title} #sports`);
  await rig.standIn.waitFor(() => cards().length === 1, 3000, 'the first card');
  // and the backup runs then
  const backup = await rig.backUp();
  const waiting = new Database(backup, { readonly: true });
  // (at least the third card's, whatever the machine's speed)
  const untried = waiting.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'post_card' AND done_at IS NULL AND first_attempt_at IS NULL").get();
  expect(untried?.n).toBeGreaterThanOrEqual(1);
  const onItsWay = waiting.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL AND first_attempt_at IS NOT NULL AND payload LIKE ?").get(`%${PEOPLE.bea}%`);
  expect(onItsWay?.n).toBeGreaterThanOrEqual(1);
  waiting.close();
  // and the rest goes out, as it should
  await first.app.worker.settled(15_000);
  expect(cards()).toHaveLength(3);
  await first.stop();
  // when the backup is restored and Greenlight starts on it
  rig.restore(backup);
  const second = await rig.start();
  await second.app.worker.settled(15_000).catch((error: unknown) => {
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(audit(rig.standIn, rig.databasePath).rows.filter((r) => r.outcome === null)));
    throw error;
  });
  // then nothing was posted twice: three cards, three review DMs each, and the restored moments know their cards (the
  // DM on its way at the backup was not held a lease long by a claim of the process gone since)
  expect(cards()).toHaveLength(3);
  for (const person of [PEOPLE.ana, PEOPLE.bea]) {
    expect(rig.standIn.messages(rig.standIn.dmChannelFor(person)).filter((m) => m.text.startsWith('Review needed'))).toHaveLength(3);
  }
  expect(audit(rig.standIn, rig.databasePath).doubled).toEqual([]);
  for (let id = 1; id <= 3; id += 1) expect(second.app.store.moments.card(id)?.ts).toBe(cards()[id - 1]?.ts);
}, 40_000);

/** The backup as it reads `hours` later: every time in its outbox that much earlier. */
function aged(backup: string, hours: number): void {
  const db = new Database(backup);
  const ms = hours * 60 * 60_000;
  db.prepare('UPDATE outbox SET created_at = created_at - ?, first_attempt_at = first_attempt_at - ?, next_attempt_at = next_attempt_at - ?').run(ms, ms, ms);
  db.close();
}

test('a card Slack answered 429 to when the backup was taken, never posted since, is posted when the backup is restored a day later', async () => {
  // given Slack rate-limits the review channel as a moment is flagged: its card waits in the outbox, tried once
  const first = await rig.start();
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 600 } });
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await rig.standIn.waitFor(() => rig.standIn.callsTo('chat.postMessage').some((c) => c.status === 429), 3000, 'the 429');
  // and Greenlight's server is lost right after the nightly backup: the card never went out
  const backup = await rig.backUp();
  await first.stop();
  expect(cards()).toHaveLength(0);
  // when the backup is restored a day and an hour later
  aged(backup, 25);
  rig.restore(backup);
  const second = await rig.start();
  await second.app.worker.settled(10_000);
  // then the card is posted (it is nowhere in Slack), as a plain restart after a day's stop posts it
  expect(cards()).toHaveLength(1);
  expect(second.app.store.moments.card(1)?.ts).toBe(cards()[0]?.ts);
});

/** The value of the Approve button on the message in `channel` whose blocks hold `text`. */
function approveValueOn(text: string, channel: string): string {
  const message = rig.standIn.messages(channel).find((m) => m.threadTs === undefined && JSON.stringify(m.blocks).includes(text));
  const found = /"action_id":"moment_approve"[^\]]*?"value":"([0-9a-f:]+)"/.exec(JSON.stringify(message?.blocks ?? []));
  if (!found?.[1]) throw new Error(`no Approve on the message with ${text}`);
  return found[1];
}

test('a button posted after the backup does not decide the moment that gets its id once the backup is restored', async () => {
  // given one moment flagged and delivered, and a backup taken then
  const first = await rig.start();
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await first.app.worker.settled(10_000);
  const backup = await rig.backUp();
  // and after the backup a second moment, whose review DM gives ana buttons for moment 2
  await first.command(PEOPLE.flagger, 'Nike: "Just dunk it" #sports');
  await first.app.worker.settled(10_000);
  const nike = approveValueOn('Just dunk it', rig.standIn.dmChannelFor(PEOPLE.ana));
  expect(nike).toMatch(/^2:1:0:/);
  await first.stop();
  // when the backup is restored, and a new moment is flagged on it (it is moment 2 again)
  rig.restore(backup);
  const second = await rig.start();
  await second.command(PEOPLE.flagger, 'Pepsi: our recall statement, final wording #sports');
  await second.app.worker.settled(10_000);
  expect(second.app.store.moments.get(2)?.content.title).toBe('Pepsi');
  // and ana approves the Nike copy from the DM she got before the restore
  await second.click(PEOPLE.ana, ACTION.approve, nike);
  await second.app.worker.settled(10_000);
  // then the recall statement she never saw is not approved by it, and she is told why nothing was recorded
  expect(second.app.store.moments.get(2)?.state.status).toBe('pending');
  expect(second.app.store.reviews.decisions(2)).toEqual([]);
  expect(rig.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text))).toContain(OTHER_MOMENT);
});

test('after a redeploy started on an empty database, an old DM does not approve the new moment with its id', async () => {
  // given moment 1 flagged and DMed to ana by the deployment before
  const first = await rig.start();
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await first.app.worker.settled(10_000);
  const oreo = approveValueOn('dunk in the dark', rig.standIn.dmChannelFor(PEOPLE.ana));
  await first.stop();
  // when the new deployment starts on an empty database (no volume kept), and a new moment is flagged
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(rig.databasePath + suffix, { force: true });
  const second = await rig.start();
  await second.command(PEOPLE.flagger, 'Pepsi: our recall statement, final wording #sports');
  await second.app.worker.settled(10_000);
  // and ana approves the Oreo copy from yesterday's DM
  await second.click(PEOPLE.ana, ACTION.approve, oreo);
  await second.app.worker.settled(10_000);
  // then the new moment 1 is not approved by it
  expect(second.app.store.moments.get(1)).toMatchObject({ content: { title: 'Pepsi' }, state: { status: 'pending' } });
});
