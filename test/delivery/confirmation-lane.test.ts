import http from 'node:http';
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/**
 * The flagger's confirmation goes to their response_url, Slack's own endpoint apart from the Web API: while it keeps
 * failing (retried for half an hour), the card's updates and its thread still go out. It waits only for the card's post,
 * whose link it carries.
 */

let h: Harness;
let hook: http.Server;
let hookStatus = 503;
/** Answers held back (a response_url that hangs), let go at the end of the test. */
const held: http.ServerResponse[] = [];
beforeEach(async () => {
  hookStatus = 503;
  hook = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (hookStatus === 0) {
        held.push(res);
        return;
      }
      res.statusCode = hookStatus;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  h = await startHarness();
});
afterEach(async () => {
  for (const res of held.splice(0)) res.end();
  await h.close();
  await new Promise((resolve) => hook.close(resolve));
});

const threadReplies = () => h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs !== undefined);

test("a confirmation that cannot reach the flagger's response_url does not hold back the card's update and thread", async () => {
  // given a flag whose response_url answers 503 (its confirmation retried meanwhile)
  const responseUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/commands/T0SANDBOX/1/abc`;
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first', { responseUrl })).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.messages(REVIEW_CHANNEL).length === 1, 5000, 'the card');
  // when ana approves it
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  // then the card says so and its thread is told, while the confirmation still waits for its endpoint
  await h.standIn.waitFor(() => threadReplies().length === 1 && /approved/i.test(h.onlyCard().text ?? ''), 5000, "the card's update and thread note");
  expect(h.app.store.outbox.stats().open).toBeGreaterThan(0);
  // and once the endpoint answers, the confirmation goes too, after the card's post
  hookStatus = 200;
  h.advance(60_000);
  h.app.worker.kick();
  await h.standIn.waitFor(() => h.app.store.outbox.stats().open === 0, 8000, 'the confirmation');
}, 20_000);

test("a confirmation on its way is marked as possibly posted: it goes by DM once its response_url has expired, and a crash then must not post that DM twice", async () => {
  // given a flag whose response_url hangs (its confirmation claimed, in flight)
  hookStatus = 0;
  const responseUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/commands/T0SANDBOX/1/abc`;
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first', { responseUrl })).status).toBe(200);
  await h.standIn.waitFor(() => held.length === 1, 5000, 'the confirmation under way');
  // then its row says it may have been posted, so the next attempt (after a restart) looks in the DM before posting
  const row = new Database(h.databasePath, { readonly: true });
  try {
    expect(row.prepare("SELECT uncertain FROM outbox WHERE kind = 'confirm_flag'").get()).toEqual({ uncertain: 1 });
  } finally {
    row.close();
  }
});
