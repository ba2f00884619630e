import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { ACTION } from '../../src/slack/ids';
import { audit, cardsByMoment, readOutbox, withReadonly } from '../delivery/audit';
import { blockActionBody, BOT_TOKEN, signed, slashCommandBody } from '../helpers/slack-requests';
import { botEnv, freePort, spawnBot, waitHealthy, type Bot } from './child';

/**
 * Eight topics, each with its own channel and reviewer, so the bot's own pacing (one post per second
 * per channel and per person) lets a burst's notices drain in seconds rather than minutes.
 */
const TOPICS = [1, 2, 3, 4, 5, 6, 7, 8];
const reviewerOf = (topic: number) => `U0R${topic}`;
const FLAGGERS = ['U0F1', 'U0F2', 'U0F3', 'U0F4'];
const ROUTING = `
defaults:
  channel: C0REVIEW
  decide_within: 30m
  remind_at: 50%
  escalate_to: [leads]
roles:
${TOPICS.map((t) => `  r${t}: { members: [${reviewerOf(t)}] }`).join('\n')}
  leads: { members: [U0LEAD] }
topics:
${TOPICS.map((t) => `  - name: t${t}\n    channel: C0T${t}\n    require: { r${t}: 1 }`).join('\n')}
  - name: default
    require: { r1: 1 }
`;

const FORM = 'application/x-www-form-urlencoded';
const BURST = 60;
const SPACING_MS = 16;
/** The kill comes after at least this many requests. */
const KILL_AFTER = 30;

let standIn: SlackStandIn;
let dir: string;
const bots: Bot[] = [];

beforeEach(async () => {
  standIn = await startSlackStandIn({
    port: 0,
    token: BOT_TOKEN,
    users: [...TOPICS.map((t) => reviewerOf(t)), ...FLAGGERS, 'U0LEAD'].map((id) => ({ id, name: id.toLowerCase() })),
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-sigkill-'));
  fs.writeFileSync(path.join(dir, 'routing.yml'), ROUTING);
});
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.kill();
  await standIn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startBot(): Promise<{ bot: Bot; port: number }> {
  const port = await freePort();
  const bot = spawnBot(botEnv(standIn.url, dir, port, { DATABASE_SYNCHRONOUS: 'FULL', LOG_LEVEL: 'warn' }), dir);
  bots.push(bot);
  await waitHealthy(bot, port, 20_000);
  return { bot, port };
}

interface Sent {
  readonly kind: 'flag' | 'approve';
  readonly token: string;
  readonly momentId?: number;
  status?: number;
}

async function send(port: number, body: string): Promise<number> {
  const request = signed(body, FORM);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(5000),
    });
    await response.text();
    return response.status;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('after a SIGKILL mid-burst and a restart, every acknowledged flag and approval is kept and every notice is posted once', async () => {
  const databasePath = path.join(dir, 'greenlight.db');
  const first = await startBot();

  // Given Slack is slow to answer posts (they land at once) and answers a few with a 503 after storing them.
  const burstStart = Date.now();
  standIn.inject({ method: 'chat.postMessage', times: 3, fault: { kind: 'http_error', status: 503, landed: true } });
  standIn.inject({ method: 'chat.postMessage', untilMs: burstStart + 2500, fault: { kind: 'slow', delayMs: 1500 } });

  // When a burst of signed flags and approvals comes in and the bot is SIGKILLed part way through.
  const sent: Sent[] = [];
  const pending: Promise<void>[] = [];
  const reader = new Database(databasePath, { readonly: true, fileMustExist: true });
  const topicOf = reader.prepare<[number], { topic: string }>('SELECT topic FROM moments WHERE id = ?');
  let approvedUpTo = 0;
  let killedAt = 0;
  for (let i = 0; i < BURST; i += 1) {
    const flagsOk = sent.filter((s) => s.kind === 'flag' && s.status === 200).length;
    const approvalsOk = sent.filter((s) => s.kind === 'approve' && s.status === 200).length;
    // Mid-burst: once enough was acknowledged to check (a loaded machine answers late), or at the bounds.
    const enough = i >= KILL_AFTER && flagsOk >= 8 && approvalsOk >= 3;
    if (enough || i === BURST - 1 || Date.now() - burstStart > 5000) {
      // A last volley sent together, and the kill a few milliseconds later, so some requests are cut off in flight.
      for (let v = 0; v < 4; v += 1) {
        const entry: Sent = { kind: 'flag', token: `Volley ${v}` };
        sent.push(entry);
        const body = slashCommandBody(FLAGGERS[v % FLAGGERS.length]!, `Volley ${v}: copy of volley ${v} #t${TOPICS[v % TOPICS.length]}`, {
          responseUrl: standIn.responseUrl(`volley-${v}`),
        });
        pending.push(send(first.port, body).then((status) => void (entry.status = status)));
      }
      await sleep(3);
      killedAt = Date.now();
      await first.bot.kill();
      break;
    }
    let entry: Sent;
    let body: string;
    if (i % 2 === 1 && approvedUpTo < flagsOk) {
      approvedUpTo += 1;
      const topic = Number(topicOf.get(approvedUpTo)!.topic.slice(1));
      entry = { kind: 'approve', token: `approve-${approvedUpTo}`, momentId: approvedUpTo };
      body = blockActionBody(reviewerOf(topic), ACTION.approve, `${approvedUpTo}:1`, {
        channel: `C0T${topic}`,
        responseUrl: standIn.responseUrl(`click-${approvedUpTo}`),
      });
    } else {
      entry = { kind: 'flag', token: `Burst ${i}` };
      body = slashCommandBody(FLAGGERS[i % FLAGGERS.length]!, `Burst ${i}: copy of burst ${i} #t${TOPICS[i % TOPICS.length]}`, {
        responseUrl: standIn.responseUrl(`cmd-${i}`),
      });
    }
    sent.push(entry);
    pending.push(
      send(first.port, body).then((status) => {
        entry.status = status;
      }),
    );
    await sleep(SPACING_MS);
  }
  await Promise.all(pending);
  reader.close();
  standIn.clearFaults();
  const openAtKill = readOutbox(databasePath).filter((r) => r.outcome === null);
  // Rows the killed bot had claimed, and when their leases would have run out.
  const claimedAtKill = withReadonly(databasePath, (db) =>
    db.prepare<[number], { id: number; claimed_until: number }>('SELECT id, claimed_until FROM outbox WHERE done_at IS NULL AND claimed_until > ?').all(killedAt),
  );

  // And it is started again on the same files.
  const restartAt = Date.now();
  const second = await startBot();
  const bootMs = Date.now() - restartAt;
  const openRows = () => withReadonly(databasePath, (db) => (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL').get() as { n: number }).n);
  await standIn.waitFor(() => openRows() === 0, 30_000, 'the outbox to drain after the restart');
  const drainMs = Date.now() - restartAt;
  // The restarted bot took the dead process's claims back: each of those rows went out before its lease ended.
  const doneAt = new Map(withReadonly(databasePath, (db) => db.prepare<[], { id: number; done_at: number }>('SELECT id, done_at FROM outbox').all()).map((r) => [r.id, r.done_at]));
  // (Posts are slow during the burst, so some are in flight at the kill.)
  expect(claimedAtKill.length).toBeGreaterThan(0);
  for (const row of claimedAtKill) expect(doneAt.get(row.id)).toBeLessThan(row.claimed_until);
  // A clean stop (SIGTERM) before the files are checked; the group is killed in afterEach if it hangs.
  second.bot.child.kill('SIGTERM');
  await standIn.waitFor(() => second.bot.child.exitCode !== null || second.bot.child.signalCode !== null, 10_000, 'the bot to stop on SIGTERM');

  // Then every flag answered 200 is a moment, and every approval answered 200 is a decision.
  const flags = sent.filter((s) => s.kind === 'flag');
  const approvals = sent.filter((s) => s.kind === 'approve');
  const flagsOk = flags.filter((s) => s.status === 200);
  const approvalsOk = approvals.filter((s) => s.status === 200);
  expect(flagsOk.length).toBeGreaterThanOrEqual(8);
  expect(approvalsOk.length).toBeGreaterThanOrEqual(3);
  // Nothing was refused before the kill: every answer was a 200 or a connection cut by the kill.
  expect(sent.filter((s) => s.status !== 200 && s.status !== 0)).toEqual([]);
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const titles = db.prepare<[], { title: string }>('SELECT title FROM moments').all().map((r) => r.title);
    for (const flag of flagsOk) expect(titles.filter((t) => t === flag.token)).toHaveLength(1);
    // A flag cut off by the kill is stored whole or not at all, and never twice.
    expect(new Set(titles).size).toBe(titles.length);
    for (const flag of flags) expect(titles.filter((t) => t === flag.token).length).toBeLessThanOrEqual(1);
    const decided = db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM decisions WHERE moment_id = ? AND action = 'approve'");
    for (const approval of approvalsOk) expect(decided.get(approval.momentId!)!.n).toBe(1);

    // No deadline is stored twice, and every open moment keeps its reminder and timeout.
    const dupDeadlines = db
      .prepare('SELECT moment_id, kind, tier, revision, due_at, COUNT(*) AS n FROM deadlines GROUP BY moment_id, kind, tier, revision, due_at HAVING n > 1')
      .all();
    expect(dupDeadlines).toEqual([]);
    const openMoments = db.prepare<[], { id: number }>("SELECT id FROM moments WHERE status IN ('pending', 'changes_requested')").all();
    const openKinds = db.prepare<[number], { kind: string }>('SELECT DISTINCT kind FROM deadlines WHERE moment_id = ? AND done_at IS NULL ORDER BY kind');
    for (const { id } of openMoments) expect(openKinds.all(id).map((r) => r.kind)).toEqual(['remind', 'timeout']);
    const closedWithOpenDeadlines = db
      .prepare("SELECT DISTINCT m.id FROM moments m JOIN deadlines d ON d.moment_id = m.id AND d.done_at IS NULL WHERE m.status NOT IN ('pending', 'changes_requested')")
      .all();
    expect(closedWithOpenDeadlines).toEqual([]);

    // Every post is in Slack exactly once, and every moment has exactly one card, the one the store points at.
    const result = audit(standIn, databasePath);
    expect(result.open).toBe(0);
    expect(result.doubled).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.strays).toEqual([]);
    expect(result.outOfOrder).toEqual([]);
    const cards = cardsByMoment(result);
    const moments = db.prepare<[], { id: number; card_ts: string | null; review_channel: string }>('SELECT id, card_ts, review_channel FROM moments').all();
    for (const m of moments) {
      expect(cards.get(m.id)).toHaveLength(1);
      expect(cards.get(m.id)![0]!.ts).toBe(m.card_ts);
      expect(cards.get(m.id)![0]!.channel).toBe(m.review_channel);
    }
    const topLevel = TOPICS.flatMap((t) => standIn.messages(`C0T${t}`)).filter((m) => m.threadTs === undefined);
    expect(topLevel).toHaveLength(moments.length);

    // eslint-disable-next-line no-console
    console.log(
      `sigkill: killed ${killedAt - burstStart} ms into the burst after ${sent.length} requests, ${sent.filter((x) => x.status === 0).length} of them cut off ` +
        `(${flagsOk.length}/${flags.length} flags and ${approvalsOk.length}/${approvals.length} approvals answered 200); ` +
        `${moments.length} moments; ${openAtKill.length} rows open at the kill (${openAtKill.filter((r) => r.uncertain === 1).length} uncertain, ${claimedAtKill.length} claimed); ` +
        `restart healthy in ${bootMs} ms, outbox drained ${drainMs} ms after the restart (${result.rows.length} rows: ${JSON.stringify(result.outcomes)})`,
    );
  } finally {
    db.close();
  }
}, 60_000);
