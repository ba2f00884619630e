import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PEOPLE, REVIEW_CHANNEL } from '../helpers/harness';
import { startRig, type Rig } from './rig';

/**
 * The operator restores a backup taken while Greenlight ran (SQLite's online backup, as `sqlite3 … ".backup …"` makes
 * it) after losing the server. Slack still holds everything Greenlight posted since the backup: it is the only record
 * of it, so what an earlier process tried is looked for before it is posted again.
 */

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

/** A backup of the running database, as SQLite's online backup takes it (the log's commits included). */
async function backUp(): Promise<string> {
  const backup = path.join(rig.dir, 'backup.db');
  const db = new Database(rig.databasePath, { readonly: true });
  try {
    await db.backup(backup);
  } finally {
    db.close();
  }
  return backup;
}

function restore(backup: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(rig.databasePath + suffix, { force: true });
  fs.copyFileSync(backup, rig.databasePath);
}

const cards = () => rig.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined);

test('a card that was waiting for Slack when the backup was taken, and posted since, is not posted a second time after the restore', async () => {
  // given Slack rate-limits the review channel while a moment is flagged: its card waits in the outbox
  const first = await rig.start();
  rig.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 2 } });
  await first.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await rig.standIn.waitFor(() => rig.standIn.callsTo('chat.postMessage').some((c) => c.status === 429), 3000, 'the 429');
  // and the nightly backup runs then
  const backup = await backUp();
  // and the card goes out a moment later, as it should
  await first.app.worker.settled(10_000);
  expect(cards()).toHaveLength(1);
  await first.stop();
  // when the backup is restored and Greenlight starts on it
  restore(backup);
  const second = await rig.start();
  await second.app.worker.settled(10_000);
  // then the review channel still has one card for the moment, and the restored moment knows it, so its updates reach it
  expect(cards()).toHaveLength(1);
  expect(second.app.store.moments.card(1)?.ts).toBe(cards()[0]?.ts);
});
