import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { openForm } from '../helpers/forms';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/**
 * A long copy reaches its reviewers: Slack refuses a message whose blocks hold too much text in all
 * (msg_blocks_too_long, past about 11,000 characters, which the stand-in applies), so the card and DMs show what of the
 * copy fits beside the rest, and say where it is whole. The flagger's approval DM, text alone, stays within 4,000.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** A press release of `count` lines of about 60 characters, posted in a channel and flagged with the flag reaction. */
async function flagLongMessage(count: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => `${String(i + 1).padStart(3, '0')}. Our spring range is in every store from Monday & online.`);
  const posted = h.standIn.postAs(PEOPLE.ana, 'C0GENERAL', `Press release: ${lines.join('\n')}`);
  await h.event({ type: 'reaction_added', user: PEOPLE.flagger, reaction: 'zap', item: { type: 'message', channel: 'C0GENERAL', ts: posted.ts }, item_user: PEOPLE.ana, event_ts: (Date.now() / 1000).toFixed(6) });
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the flagged moment');
  await h.settle();
}

test('a flagged 13,000-character message: the card and each reviewer\'s DM go out, cut where the message holds it whole', async () => {
  await flagLongMessage(220);
  const card = h.standIn.messages(REVIEW_CHANNEL);
  const dms = [PEOPLE.ana, PEOPLE.bea].map((user) => h.standIn.messages(h.standIn.dmChannelFor(user)));
  expect(card).toHaveLength(1);
  for (const dm of dms) expect(dm).toHaveLength(1);
  for (const message of [card[0], dms[0]?.[0], dms[1]?.[0]]) expect(JSON.stringify(message?.blocks)).toContain('Cut here to fit a message: the whole copy is in the flagged message');
  expect(h.app.store.outbox.stats().failed).toBe(0);
});

test('an 8,500-character copy, then rejected with a long reason: the card and DMs are updated to say so, the copy giving way to the reason', async () => {
  await flagLongMessage(140);
  // when ana rejects it with 2,000 characters of reasons
  const form = await openForm(h, PEOPLE.ana, ACTION.reject, '1:1:0');
  const reason = 'The claims in lines 10-40 need legal sign-off & the dates are wrong. '.repeat(29).slice(0, 2000);
  await h.submitView(PEOPLE.ana, VIEW.reject, { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: reason } } }, String(form.view.private_metadata));
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('rejected');
  // then the card and bea's DM read "Rejected", with the reason: no update was refused
  for (const message of [h.standIn.messages(REVIEW_CHANNEL)[0], h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.bea))[0]]) {
    expect(JSON.stringify(message?.blocks)).toContain('Rejected');
    expect(JSON.stringify(message?.blocks)).toContain('need legal sign-off');
    expect(JSON.stringify(message?.blocks)).toContain('Cut here to fit a message.');
  }
  expect(h.app.store.outbox.stats().failed).toBe(0);
});

test('a quick flag of 120 lines approved: the flagger\'s DM stays within 4,000 characters and points to the whole copy on the card', async () => {
  const copy = Array.from({ length: 120 }, (_, i) => `Line ${String(i).padStart(3, '0')} of the launch thread.`).join('\n');
  await h.command(PEOPLE.flagger, `Launch thread: ${copy}`);
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  const approval = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).find((m) => m.text.includes('is approved'));
  expect(approval?.text.length).toBeLessThanOrEqual(4000);
  expect(approval?.text).toContain('the whole copy is on the card');
  expect(approval?.text).toContain('> Line 000 of the launch thread.');
});

test('after the upgrade that cuts a copy to fit, a card and review DMs Slack refused for their length are posted, for a moment still open', async () => {
  await h.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-long-copy-'));
  const databasePath = path.join(dir, 'greenlight.db');
  try {
    // given a Greenlight whose card and brand DMs Slack refused as too long (as before copies were cut to fit)
    const before = await startHarness({ databasePath });
    for (const channel of [REVIEW_CHANNEL, before.standIn.dmChannelFor(PEOPLE.ana), before.standIn.dmChannelFor(PEOPLE.bea)]) {
      before.standIn.inject({ method: 'chat.postMessage', channel, fault: { kind: 'slack_error', error: 'msg_blocks_too_long' } });
    }
    await before.command(PEOPLE.flagger, 'Press release: our spring range is in every store from Monday');
    await before.settle();
    expect(before.app.store.moments.cardRefused(1)).toBe('msg_blocks_too_long');
    // and, halfway through the window, the reminders refused too
    before.advance(15 * 60_000 + 1000);
    before.app.scanner.sweep();
    await before.settle();
    await before.close();
    // and its database as that version left it (schema 30)
    const db = new Database(databasePath);
    const refused = db.prepare<[], { kind: string }>("SELECT kind FROM outbox WHERE last_error = 'msg_blocks_too_long' ORDER BY id").all().map((r) => r.kind);
    expect(refused.sort()).toEqual(['dm_reviewer', 'dm_reviewer', 'post_card', 'remind_reviewer', 'remind_reviewer']);
    // (the tables of later migrations not yet there: they are created again on the way up)
    const laterColumns = ['last_known', 'refresh_from', 'refresh_to', 'refresh_done_through', 'refresh_through', 'refresh_by'];
    db.exec('ALTER TABLE moments DROP COLUMN source_files; ALTER TABLE outbox DROP COLUMN mark;');
    db.exec(`DROP TABLE group_departures; ${laterColumns.map((column) => `ALTER TABLE roster_shown DROP COLUMN ${column};`).join(' ')} PRAGMA user_version = 30;`);
    db.close();
    // when this version starts on it
    h = await startHarness({ databasePath });
    h.advance(15 * 60_000 + 2000);
    await h.settle();
    // then the card and each reviewer's DM are posted, once (no reminder of a DM they never had beside it), and the card
    // is no longer said to be refused
    expect(h.standIn.messages(REVIEW_CHANNEL)).toHaveLength(1);
    for (const user of [PEOPLE.ana, PEOPLE.bea]) expect(h.standIn.messages(h.standIn.dmChannelFor(user)).map((m) => m.text)).toEqual([expect.stringContaining('Review needed')]);
    expect(h.app.store.moments.cardRefused(1)).toBeUndefined();
  } finally {
    await h.close();
    h = await startHarness();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
