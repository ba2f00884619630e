import fs from 'node:fs';
import { PEOPLE, REVIEW_CHANNEL } from '../helpers/harness';
import { startRig, type Rig, type RigApp } from './rig';

/**
 * After a restore (or a redeploy on an empty database) the outbox hands out the ids it handed out before, and the
 * messages posted under those ids are still in Slack. A post of the new timeline whose answer is lost must not be
 * taken for the old post that carries the same outbox_id.
 */
let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

/** Greenlight restarted on a backup taken after one moment was delivered and before a second one was. */
async function restoredPastASecondMoment(): Promise<RigApp> {
  const first = await rig.start();
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await first.app.worker.settled(10_000);
  const backup = await rig.backUp();
  await first.command(PEOPLE.flagger, 'Nike: just dunk it #sports');
  await first.app.worker.settled(10_000);
  await first.stop();
  rig.restore(backup);
  return rig.start();
}

test('after a restore, a new review DM whose first post got a 500 is posted, not taken for the pre-restore DM with the same outbox id', async () => {
  // given one moment delivered, the backup, then a second moment delivered (its rows are lost by the restore)
  // when the backup is restored, and a new moment is flagged while Slack answers its first posts with a 500 (not landed)
  const second = await restoredPastASecondMoment();
  const anaDm = rig.standIn.dmChannelFor(PEOPLE.ana);
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 500 } });
  rig.standIn.inject({ method: 'chat.postMessage', channel: anaDm, times: 1, fault: { kind: 'http_error', status: 500 } });
  await second.command(PEOPLE.flagger, 'Pepsi: our recall statement, final wording #sports');
  await second.app.worker.settled(15_000);
  // then ana got a new review DM for it (a new message, which notifies her), and the channel a new card
  const reviewDms = rig.standIn.messages(anaDm).filter((m) => m.text.startsWith('Review needed'));
  expect(reviewDms.map((m) => m.text)).toEqual([
    expect.stringContaining('Oreo'),
    expect.stringContaining('Nike'),
    expect.stringContaining('Pepsi'),
  ]);
  const cards = rig.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  expect(cards).toHaveLength(3);
  expect(cards[1]?.text).toContain('Nike');
}, 40_000);

test('after a restore, a card rate-limited and then carried over a restart is posted, not taken for the pre-restore card with the same outbox id', async () => {
  // given one moment delivered, the backup, then a second moment delivered (its rows are lost by the restore)
  // when the backup is restored, a new moment's card is rate-limited by Slack, and Greenlight is restarted meanwhile
  const second = await restoredPastASecondMoment();
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 2 } });
  await second.command(PEOPLE.flagger, 'Pepsi: our recall statement, final wording #sports');
  await rig.standIn.waitFor(() => rig.standIn.callsTo('chat.postMessage').some((c) => c.status === 429), 5000, 'the 429');
  await second.stop();
  const third = await rig.start();
  await third.app.worker.settled(15_000);
  // then the review channel has a new card for it, and the Nike card from before the restore still shows Nike
  const cards = rig.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);
  expect(cards.map((m) => m.text)).toEqual([expect.stringContaining('Oreo'), expect.stringContaining('Nike'), expect.stringContaining('Pepsi')]);
}, 40_000);

test('after a redeploy on an empty database, a new review DM whose first post got a 500 is posted, not taken for the old DM with the same outbox id', async () => {
  // given a moment flagged and delivered by the deployment before
  const first = await rig.start();
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await first.app.worker.settled(10_000);
  await first.stop();
  // when the new deployment starts on an empty database (no volume kept), and a moment is flagged while Slack answers
  // its first DM to ana with a 500 (it did not land)
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(rig.databasePath + suffix, { force: true });
  const second = await rig.start();
  const anaDm = rig.standIn.dmChannelFor(PEOPLE.ana);
  rig.standIn.inject({ method: 'chat.postMessage', channel: anaDm, times: 1, fault: { kind: 'http_error', status: 500 } });
  await second.command(PEOPLE.flagger, 'Pepsi: our recall statement, final wording #sports');
  await second.app.worker.settled(15_000);
  // then ana got a new DM asking her to review it
  const reviewDms = rig.standIn.messages(anaDm).filter((m) => m.text.startsWith('Review needed'));
  expect(reviewDms.map((m) => m.text)).toEqual([expect.stringContaining('Oreo'), expect.stringContaining('Pepsi')]);
}, 40_000);
