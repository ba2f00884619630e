import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { TEAM } from '../../src/sandbox/slack-requests';
import { ACTION } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { buttonValueOf } from '../helpers/forms';
import { blockActionBody, eventBody, signed, slashCommandBody } from '../helpers/slack-requests';
import { botEnv, freePort, spawnBot, waitHealthy, type Bot } from './child';

/**
 * Two Greenlight processes on one database (an overlapping deploy, or `npm start` run twice): Slack sends each event
 * to one of them. A reviewer taken out of legal must be out of it on both, as the README promises ("someone Slack
 * says left a reviewer user group is out of it at once").
 */
let standIn: SlackStandIn;
let dir: string;
const bots: Bot[] = [];
beforeEach(async () => {
  standIn = await startTestStandIn();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-two-dir-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
});
afterEach(async () => {
  for (const b of bots.splice(0)) await b.kill();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
async function start(): Promise<number> {
  const port = await freePort();
  const bot = spawnBot(botEnv(standIn.url, dir, port, { LOG_LEVEL: 'info' }), dir);
  bots.push(bot);
  await waitHealthy(bot, port, 30_000);
  return port;
}
async function send(port: number, body: string, type: string): Promise<number> {
  const r = signed(body, type);
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: r.headers, body: r.body });
  await res.text();
  return res.status;
}
const FORM = 'application/x-www-form-urlencoded';

function departuresWritten(): number {
  const db = new Database(path.join(dir, 'greenlight.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM group_departures').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('a reviewer Slack says left legal cannot approve through the other Greenlight process on the same database', async () => {
  const a = await start();
  const b = await start();
  // given a crisis moment (comms 1 + legal 1) that asks leo, in legal through its user group
  expect(await send(a, slashCommandBody(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"'), FORM)).toBe(200);
  await standIn.waitFor(() => standIn.messages(CRISIS_CHANNEL).some((m) => m.threadTs === undefined && buttonValueOf(m.blocks) !== ''), 10_000, 'the card');
  const value = buttonValueOf(standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks);
  // when leo leaves legal and Slack sends the event to process A
  standIn.setUsergroup('S0LEGAL', []);
  const event = { type: 'subteam_members_changed', subteam_id: 'S0LEGAL', team_id: TEAM.id, date_previous_update: 1, date_update: 2, removed_users: [PEOPLE.leo], removed_users_count: 1, event_ts: '2.000001' };
  expect(await send(a, eventBody(event), 'application/json')).toBe(200);
  await standIn.waitFor(() => departuresWritten() > 0, 10_000, 'process A telling the other processes');
  // and leo presses Approve, the press reaching process B
  expect(await send(b, blockActionBody(PEOPLE.leo, ACTION.approve, value, { channel: CRISIS_CHANNEL, responseUrl: standIn.responseUrl('leo') }), FORM)).toBe(200);
  // then no approval of leo's is recorded (a press is recorded, or refused, before Slack is answered)
  const db = new Database(path.join(dir, 'greenlight.db'), { readonly: true });
  try {
    const leos = db.prepare('SELECT role, action FROM decisions WHERE moment_id = 1 AND user_id = ?').all(PEOPLE.leo);
    expect(leos).toEqual([]);
  } finally {
    db.close();
  }
}, 90_000);
