import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { signed, slashCommandBody } from '../../src/sandbox/slack-requests';
import { ACTION } from '../../src/slack/ids';
import { runCommand } from '../../src/workflow/run-command';
import { parseTestRouting, PEOPLE, startTestStandIn, testConfig } from '../helpers/harness';

/**
 * A role Slack cannot read at start is trusted for everyone assigned (directory.rolesOf) while it stays unread, so what
 * is rendered meanwhile may offer buttons; once it is read, the roster saved (legal unread) differs from the one read,
 * and the DMs it shows on are updated.
 */
test('a DM given buttons while legal was unread at start loses them once legal is read again', async () => {
  const standIn = await startTestStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review10-unread-'));
  const start = () =>
    startGreenlight({
      config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
      routing: parseTestRouting(),
      logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
      host: '127.0.0.1',
      startScanner: false,
      worker: { postGapMs: 0, pollMs: 50 },
    });
  let app: Greenlight = await start();
  const leoDms = () => standIn.messages(standIn.dmChannelFor(PEOPLE.leo));
  const withButtons = () => leoDms().filter((m) => JSON.stringify(m.blocks).includes(ACTION.approve));
  try {
    const request = signed(slashCommandBody(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"', { responseUrl: standIn.responseUrl('cmd') }), 'application/x-www-form-urlencoded');
    expect((await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(200);
    await app.worker.settled(10_000);
    expect(withButtons()).toHaveLength(1);
    // leo leaves legal while Greenlight is down; the next start brings his DM up to date (saved roster: legal = [])
    await app.stop();
    standIn.setUsergroup('S0LEGAL', []);
    app = await start();
    await standIn.waitFor(() => withButtons().length === 0, 5000, "leo's DM updated");
    await app.worker.settled(10_000);
    // a restart during a Slack hiccup: the legal user group cannot be read, legal is unread (trusted)
    await app.stop();
    standIn.inject({ method: 'usergroups.users.list', fault: { kind: 'http_error', status: 503 } });
    app = await start();
    expect([...app.directory.unreadRoles()]).toEqual(['legal']);
    // meanwhile cal asks for changes and the flagger revises: leo (assigned, legal trusted) gets a DM with buttons
    const by = (userId: string) => ({ userId, channel: undefined, responseUrl: undefined });
    expect(runCommand(app.store, 1, { kind: 'request_changes', actor: { userId: PEOPLE.cal, currentRoles: undefined }, comment: 'Softer' }, by(PEOPLE.cal), 'rc', Date.now()).kind).toBe('done');
    const content = { title: 'Recall notice', copy: 'We are voluntarily recalling batch 42', link: undefined, urgency: 'normal' as const };
    expect(runCommand(app.store, 1, { kind: 'revise', actor: { userId: PEOPLE.flagger, currentRoles: undefined }, content, revision: 1 }, by(PEOPLE.flagger), 'rev', Date.now()).kind).toBe('done');
    app.worker.kick();
    await app.worker.settled(10_000);
    expect(withButtons()).toHaveLength(1);
    // when Slack answers again: legal read, leo still not in it
    standIn.clearFaults();
    await app.directory.refresh();
    expect(app.directory.unreadRoles().size).toBe(0);
    expect([...app.directory.rolesOf(PEOPLE.leo)]).toEqual([]);
    app.worker.kick();
    await app.worker.settled(10_000);
    // then no DM of leo's still offers a button a press would be refused on
    expect(withButtons()).toHaveLength(0);
  } finally {
    await app.stop();
    await standIn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
