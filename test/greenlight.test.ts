import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, StartupError, type Greenlight } from '../src/greenlight';
import { createLogger } from '../src/log/logger';
import { startSlackStandIn } from '../src/sandbox/slack-stand-in';
import { signed, slashCommandBody } from '../src/sandbox/slack-requests';
import { ACTION } from '../src/slack/ids';
import { runCommand } from '../src/workflow/run-command';
import { CRISIS_CHANNEL, parseTestRouting, PEOPLE, startHarness, startTestStandIn, testConfig, TEST_ROUTING } from './helpers/harness';
import { BOT_TOKEN } from './helpers/slack-requests';

/** Starts Greenlight on an in-memory database against the given Web API address. */
function startAgainst(apiUrl: string) {
  return startGreenlight({
    config: testConfig({ apiUrl, databasePath: ':memory:' }),
    routing: parseTestRouting(),
    logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
    host: '127.0.0.1',
    startScanner: false,
  });
}

test('a Slack that does not answer stops the start with a network message, not a blame on the token', async () => {
  // Port 9 on loopback: nothing listens, the connection is refused at once.
  const apiUrl = 'http://127.0.0.1:9/api/';
  const started = startAgainst(apiUrl);
  await expect(started).rejects.toBeInstanceOf(StartupError);
  await expect(started).rejects.toThrow(`Greenlight cannot reach Slack at ${apiUrl}`);
  await expect(started).rejects.not.toThrow(/refused SLACK_BOT_TOKEN/);
});

test('a Slack address that redirects stops the start with a network message, not a blame on the token', async () => {
  // Given an address that answers every call with a redirect (http:// where Slack wants https://, a proxy)
  const server = http.createServer((_req, res) => res.writeHead(302, { location: 'https://slack.com/api/auth.test' }).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  try {
    const started = startAgainst(apiUrl);
    await expect(started).rejects.toThrow(`Greenlight cannot reach Slack at ${apiUrl}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a Web API address without /api/ (an HTTP 404) names SLACK_API_URL, not the token', async () => {
  // given the stand-in's host, its path left out
  const standIn = await startSlackStandIn();
  const apiUrl = standIn.url.replace(/api\/$/, '');
  try {
    const started = startAgainst(apiUrl);
    await expect(started).rejects.toBeInstanceOf(StartupError);
    await expect(started).rejects.toThrow(/got no Web API answer .* check SLACK_API_URL/);
    await expect(started).rejects.not.toThrow(/refused SLACK_BOT_TOKEN/);
  } finally {
    await standIn.close();
  }
});

test("Greenlight's Slack calls go through its own transport, not the platform's fetch", async () => {
  const h = await startHarness();
  try {
    // When a moment is flagged and delivered
    expect((await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports')).status).toBe(200);
    await h.settle();
    // Then every Web API call (delivery's and the start's) came without the headers Node's fetch adds to each request
    const calls = h.standIn.calls.filter((c) => c.status === 200);
    expect(calls.map((c) => c.method)).toEqual(expect.arrayContaining(['auth.test', 'chat.postMessage']));
    for (const call of calls) expect(call.headers).not.toHaveProperty('sec-fetch-mode');
    expect(calls.every((c) => c.headers['user-agent']?.includes('@slack:web-api'))).toBe(true);
  } finally {
    await h.close();
  }
});

test('a start that fails after the store opened (the port is taken) leaves nothing running', async () => {
  // Given a port already in use and a reachable Slack
  const standIn = await startSlackStandIn({ port: 0, token: BOT_TOKEN });
  const taken = http.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-start-'));
  const before = process.getActiveResourcesInfo().length;
  try {
    // When Greenlight starts on it
    const config = { ...testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }), port: (taken.address() as AddressInfo).port };
    const started = startGreenlight({ config, routing: parseTestRouting(), logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }), host: '127.0.0.1' });
    await expect(started).rejects.toThrow(new StartupError(`port ${config.port} is already in use, perhaps by a Greenlight already running: stop what listens there, or set PORT to a free port if it is not Greenlight`));
    // Then the delivery worker, the scanner, the checkpoint thread and the connections to Slack are gone
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
  } finally {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the start is logged with the workspace the token belongs to and the full path of the database in use', async () => {
  // Given a database path relative to the folder Greenlight runs in
  const standIn = await startSlackStandIn({ port: 0, token: BOT_TOKEN });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-start-'));
  const relative = path.relative(process.cwd(), path.join(dir, 'greenlight.db'));
  const lines: string[] = [];
  try {
    // When Greenlight starts
    const app = await startGreenlight({
      config: testConfig({ apiUrl: standIn.url, databasePath: relative }),
      routing: parseTestRouting(),
      logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }),
      host: '127.0.0.1',
      startScanner: false,
    });
    await app.stop();
    // Then its "listening" line says which workspace and which file, as the person running it must check
    const started = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.msg === 'Greenlight is listening');
    expect(started).toMatchObject({ mode: 'http', team: 'Greenlight Sandbox', database: path.join(dir, 'greenlight.db') });
  } finally {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a start on a database file that did not exist says a new, empty one was made; a start on it again does not', async () => {
  // Given a DATABASE_PATH where no database is yet (a first run, or a path changed without moving the file)
  const standIn = await startSlackStandIn({ port: 0, token: BOT_TOKEN });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greenlight-new-db-'));
  const databasePath = path.join(dir, 'greenlight.db');
  const lines: string[] = [];
  const start = () =>
    startGreenlight({
      config: testConfig({ apiUrl: standIn.url, databasePath }),
      routing: parseTestRouting(),
      logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }),
      host: '127.0.0.1',
      startScanner: false,
    });
  const created = () => lines.filter((line) => line.includes('created a new, empty database'));
  try {
    // When Greenlight starts there, then again on the same file
    await (await start()).stop();
    expect(created()).toHaveLength(1);
    expect(created()[0]).toContain(databasePath);
    await (await start()).stop();
    // Then only the first start said so
    expect(created()).toHaveLength(1);
  } finally {
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Greenlight started (and started again) on one database file against one stand-in, logging at INFO into `lines`;
 * `start(yaml)` takes another routing file.
 */
async function onOneFile(prefix: string) {
  const standIn = await startTestStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const lines: string[] = [];
  const start = (yaml?: string) =>
    startGreenlight({
      config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
      routing: parseTestRouting(yaml),
      logger: createLogger({ level: LogLevel.INFO, write: (line) => lines.push(line) }),
      host: '127.0.0.1',
      startScanner: false,
      worker: { postGapMs: 0, pollMs: 50 },
    });
  /** A crisis moment flagged through /moment, delivered. */
  const flagCrisis = async (app: Greenlight) => {
    const request = signed(slashCommandBody(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"', { responseUrl: standIn.responseUrl('cmd') }), 'application/x-www-form-urlencoded');
    expect((await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(200);
    await app.worker.settled(10_000);
  };
  const close = async (app: Greenlight) => {
    await app.stop();
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { standIn, lines, start, flagCrisis, close };
}

test('a user group changed while Greenlight was stopped shows on the open cards and DMs once it starts again', async () => {
  // given Greenlight running on a file, and a crisis moment DMed to leo, who reviews for legal through S0LEGAL
  const { standIn, lines, start, flagCrisis, close } = await onOneFile('greenlight-roster-');
  let app = await start();
  try {
    await flagCrisis(app);
    const leoDm = () => JSON.stringify(standIn.messages(standIn.dmChannelFor(PEOPLE.leo))[0]?.blocks);
    const card = () => JSON.stringify(standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks);
    expect(leoDm()).toContain(ACTION.approve);
    expect(card()).toContain(`<@${PEOPLE.leo}> ⏳`);
    // when Greenlight stops, leo leaves the legal user group, and Greenlight starts again on the same file
    await app.stop();
    standIn.setUsergroup('S0LEGAL', []);
    app = await start();
    await standIn.waitFor(() => !leoDm().includes(ACTION.approve), 5000, "leo's DM updated");
    await app.worker.settled(10_000);
    // then his DM no longer offers what a press would be refused on, and the card no longer waits on him
    expect(leoDm()).not.toContain(ACTION.approve);
    expect(leoDm()).toContain('You are no longer in *legal*');
    expect(card()).not.toContain(`<@${PEOPLE.leo}> ⏳`);
    expect(lines.some((line) => line.includes('reviewers changed while Greenlight was stopped'))).toBe(true);
  } finally {
    await close(app);
  }
});

test('a start whose routing file no longer names a role the last run showed warns the operator, and the people of the flag still decide in it', async () => {
  // given Greenlight ran with a "comms" role, and a crisis moment needs it
  const { lines, start, flagCrisis, close } = await onOneFile('greenlight-roles-gone-');
  let app = await start();
  try {
    await flagCrisis(app);
    // when it starts again with "comms" renamed "communications" in the routing file
    await app.stop();
    app = await start(TEST_ROUTING.replace('comms: { members', 'communications: { members').replace('require: { comms: 1, legal: 1 }', 'require: { communications: 1, legal: 1 }'));
    // then the log says which role is gone, at WARN
    const warned = lines.filter((line) => line.includes('roles gone from the routing file')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warned).toEqual([expect.objectContaining({ level: 'warn', roles: 'comms' })]);
    // and cal, assigned in comms at the flag, still approves for it (the moment keeps the rules it was flagged with)
    const byCal = { userId: PEOPLE.cal, channel: undefined, responseUrl: undefined };
    const outcome = runCommand(app.store, 1, { kind: 'approve', actor: { userId: PEOPLE.cal, currentRoles: app.directory.rolesOf(PEOPLE.cal) } }, byCal, 'approve:cal', Date.now());
    expect(outcome.kind).toBe('done');
    expect(app.store.reviews.decisions(1)).toEqual([expect.objectContaining({ action: 'approve', userId: PEOPLE.cal, role: 'comms' })]);
  } finally {
    await close(app);
  }
});
