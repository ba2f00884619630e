import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { STORE_BUSY_MESSAGE } from '../../src/slack/store-busy';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { withReadonly } from '../delivery/audit';
import { startRig } from '../delivery/rig';
import { PEOPLE, startTestStandIn, TEST_ROUTING } from '../helpers/harness';
import { signed, slashCommandBody } from '../helpers/slack-requests';
import { botEnv, freePort, spawnBot, waitHealthy, type Bot } from './child';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a flag arriving while another process holds the database lock fails cleanly and leaves nothing half-written', async () => {
  // Given a running Greenlight (in-process, to keep the test short) and another connection holding a write lock.
  const rig = await startRig();
  try {
    const g = await rig.start();
    const holder = new Database(rig.databasePath);
    holder.exec('BEGIN EXCLUSIVE');
    let answer: { status: number; text: string };
    const startedAt = Date.now();
    try {
      // When a flag comes in, its transaction waits out the busy timeout (2 s) and fails.
      answer = await g.command(PEOPLE.flagger, 'Locked out: copy #sports', 'trigger.locked.1');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const waitedMs = Date.now() - startedAt;
    // Then the person is told, within Slack's 3 s, that nothing was saved: never the "Flagging…" reply.
    expect(answer.status).toBe(200);
    // (with their words given back: Slack cleared what they typed)
    expect(JSON.parse(answer.text)).toEqual({ response_type: 'ephemeral', text: `${STORE_BUSY_MESSAGE}\nYour words, to send again:\n\`\`\`/moment Locked out: copy #sports\`\`\`` });
    expect(waitedMs).toBeLessThan(3000);
    // And nothing of it was stored: no moment, no notice, no "seen" key that would swallow a retry.
    const counts = withReadonly(rig.databasePath, (db) =>
      db
        .prepare(
          'SELECT (SELECT COUNT(*) FROM moments) AS moments, (SELECT COUNT(*) FROM outbox) AS outbox, (SELECT COUNT(*) FROM deadlines) AS deadlines, ' +
            '(SELECT COUNT(*) FROM assignments) AS assignments, (SELECT COUNT(*) FROM seen) AS seen',
        )
        .get(),
    );
    expect(counts).toEqual({ moments: 0, outbox: 0, deadlines: 0, assignments: 0, seen: 0 });
    // And once the lock is gone the same request (same trigger id) goes through, once.
    const retry = await g.command(PEOPLE.flagger, 'Locked out: copy #sports', 'trigger.locked.1');
    expect(retry.status).toBe(200);
    await g.app.worker.settled(10_000);
    expect(g.app.store.moments.get(1)?.content.title).toBe('Locked out');
    expect(g.app.store.moments.get(2)).toBeUndefined();
    expect(rig.standIn.messages('C0REVIEW')).toHaveLength(1);
    // eslint-disable-next-line no-console
    console.log(`locked flag: answered HTTP ${answer.status} ${JSON.stringify(answer.text.slice(0, 80))} after ${waitedMs} ms`);
  } finally {
    await rig.close();
  }
});

describe('the real bot (child process) under a database lock', () => {
  let standIn: SlackStandIn;
  let dir: string;
  const bots: Bot[] = [];
  /** Called with each stand-in log line, synchronously, before the stand-in sends its answer. */
  let lockOnAnswer: (line: string) => void = () => undefined;

  beforeEach(async () => {
    standIn = await startTestStandIn({ log: (line) => lockOnAnswer(line) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-lock-'));
    fs.writeFileSync(path.join(dir, 'routing.yml'), TEST_ROUTING);
  });
  afterEach(async () => {
    lockOnAnswer = () => undefined;
    for (const bot of bots.splice(0)) await bot.kill();
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a lock held when a post fails does not crash the bot, and the post is not doubled', async () => {
    // Given a running bot, and a 500 for its card post that Slack stored anyway; the moment the stand-in answers,
    // another process (this test) takes the database's write lock, and holds it for up to 12 s.
    const port = await freePort();
    const databasePath = path.join(dir, 'greenlight.db');
    const bot = spawnBot(botEnv(standIn.url, dir, port, { DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' }), dir);
    bots.push(bot);
    await waitHealthy(bot, port, 20_000);
    standIn.inject({ method: 'chat.postMessage', channel: 'C0REVIEW', times: 1, fault: { kind: 'http_error', status: 500, landed: true } });
    let holder: Database.Database | undefined;
    lockOnAnswer = (line) => {
      if (holder === undefined && line.includes('chat.postMessage -> 500')) {
        holder = new Database(databasePath);
        holder.exec('BEGIN EXCLUSIVE');
      }
    };

    // When a moment is flagged (the card post fails while the lock is held: scheduleRetry waits 5 s and fails).
    const request = signed(slashCommandBody(PEOPLE.flagger, 'Locked retry: copy #sports', { responseUrl: standIn.responseUrl('cmd') }), 'application/x-www-form-urlencoded');
    const flagged = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body });
    expect(flagged.status).toBe(200);
    await standIn.waitFor(() => holder !== undefined, 5000, 'the failed card post');
    // Held 12 s: a write that fails in deliver()'s try block (markSent of a DM posted meanwhile) costs one 5 s busy
    // timeout before its catch block's write costs another; released early once the bot has died.
    const exited = () => bot.child.exitCode !== null || bot.child.signalCode !== null;
    for (let waited = 0; waited < 12_000 && !exited(); waited += 100) await sleep(100);
    holder!.exec('ROLLBACK');
    holder!.close();

    // Then the bot is still running, and after the lock it delivers everything with one card.
    expect({ exitCode: bot.child.exitCode, stderr: bot.stderr().split('\n').slice(0, 4).join('\n') }).toEqual({ exitCode: null, stderr: '' });
    await waitHealthy(bot, port, 5000);
    const open = () => withReadonly(databasePath, (db) => (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL').get() as { n: number }).n);
    await standIn.waitFor(() => open() === 0, 10_000, 'the outbox to drain');
    expect(standIn.messages('C0REVIEW').filter((m) => m.threadTs === undefined)).toHaveLength(1);
  }, 40_000);
});
