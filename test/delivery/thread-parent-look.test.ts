/**
 * Looking before posting a thread reply again: Slack's conversations.replies always returns the thread's parent first,
 * whatever `oldest` says. A database whose outbox an older version emptied hands out ids again (max(id) + 1), so a
 * thread note may carry the id of its own card's post: the card must never be taken for the note.
 */
import Database from 'better-sqlite3';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { outboxIdOf, withReadonly } from './audit';

// A tier long enough that nothing falls due while the outbox is emptied.
const ROUTING = `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 400h
  remind_at: 50%
roles:
  brand: { members: [${PEOPLE.ana}] }
topics:
  - name: default
    require: { brand: 1 }
`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ routingYaml: ROUTING });
});
afterEach(async () => {
  await h.close();
});

test('a thread note whose outbox id is its card\'s (ids handed out again) is posted, not taken for the card', async () => {
  // given one unrelated row first (someone opened App Home), then a moment flagged: its card is outbox row 2
  h.app.store.outbox.enqueue(undefined, [{ kind: 'publish_home', userId: PEOPLE.ana }], h.now());
  h.app.worker.kick();
  await h.settle();
  expect((await h.command(PEOPLE.flagger, 'Launch tweet: we are live')).status).toBe(200);
  await h.settle();
  const card = h.onlyCard(REVIEW_CHANNEL);
  expect(outboxIdOf(card)).toBe(2);
  // and every delivered row forgotten, as a prune before the newest row was kept did
  const db = new Database(h.databasePath);
  db.pragma('busy_timeout = 5000');
  db.prepare('DELETE FROM outbox').run();
  db.close();
  // when the approval's thread note (row 2 again) meets a lost answer (a 503 that did not land)
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'http_error', status: 503 } });
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await h.settle();
  // then the note is in the card's thread, recorded with its own ts
  const note = withReadonly(h.databasePath, (read) =>
    read.prepare("SELECT id, outcome, result_ts FROM outbox WHERE kind = 'thread_note'").get() as { id: number; outcome: string; result_ts: string },
  );
  expect(note.id).toBe(2);
  const replies = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === card.ts);
  expect(replies).toHaveLength(1);
  expect(note).toMatchObject({ outcome: 'sent', result_ts: replies[0]?.ts });
});
