import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { startGreenlight, type Greenlight } from '../../src/greenlight';
import { createLogger } from '../../src/log/logger';
import { blockActionBody, signed, slashCommandBody } from '../../src/sandbox/slack-requests';
import { ACTION } from '../../src/slack/ids';
import { runCommand } from '../../src/workflow/run-command';
import { sweepDeadlines } from '../../src/workflow/sweep-deadlines';
import type { Roster } from '../../src/core/routing';
import type { SlackStandIn } from '../../src/sandbox/slack-stand-in';
import { parseTestRouting, PEOPLE, startTestStandIn, testConfig, TEST_ROUTING } from '../helpers/harness';

/** A Greenlight started and restarted on one database against one stand-in, its clock moved by `offset`. */
interface Rig {
  readonly standIn: SlackStandIn;
  offset: number;
  start(): Promise<Greenlight>;
  /** A crisis moment flagged through /moment, delivered. */
  flagCrisis(app: Greenlight): Promise<void>;
  close(app: Greenlight | undefined): Promise<void>;
}

async function rig(routingYaml = TEST_ROUTING): Promise<Rig> {
  const standIn = await startTestStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unread-'));
  const routing = parseTestRouting(routingYaml);
  const made: Rig = {
    standIn,
    offset: 0,
    start: () =>
      startGreenlight({
        config: testConfig({ apiUrl: standIn.url, databasePath: path.join(dir, 'greenlight.db') }),
        routing,
        logger: createLogger({ level: LogLevel.ERROR, write: () => undefined }),
        host: '127.0.0.1',
        clock: () => Date.now() + made.offset,
        startScanner: false,
        worker: { postGapMs: 0, pollMs: 50 },
      }),
    async flagCrisis(app) {
      const request = signed(slashCommandBody(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"', { responseUrl: standIn.responseUrl('cmd') }), 'application/x-www-form-urlencoded');
      expect((await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(200);
      await app.worker.settled(10_000);
    },
    async close(app) {
      await app?.stop();
      await standIn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return made;
}

const LEADS_AS_GROUP = TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, 'leads: { usergroup: S0LEADS }');


/**
 * A role Slack cannot read at start is trusted for everyone assigned (directory.rolesOf) while it stays unread, so what
 * is rendered meanwhile may offer buttons; once it is read, the roster saved (legal unread) differs from the one read,
 * and the DMs it shows on are updated.
 */
test('a DM given buttons while legal was unread at start loses them once legal is read again', async () => {
  const r = await rig();
  const { standIn } = r;
  let app: Greenlight = await r.start();
  const leoDms = () => standIn.messages(standIn.dmChannelFor(PEOPLE.leo));
  const withButtons = () => leoDms().filter((m) => JSON.stringify(m.blocks).includes(ACTION.approve));
  try {
    await r.flagCrisis(app);
    expect(withButtons()).toHaveLength(1);
    // leo leaves legal while Greenlight is down; the next start brings his DM up to date (saved roster: legal = [])
    await app.stop();
    standIn.setUsergroup('S0LEGAL', []);
    app = await r.start();
    await standIn.waitFor(() => withButtons().length === 0, 5000, "leo's DM updated");
    await app.worker.settled(10_000);
    // a restart during a Slack hiccup: the legal user group cannot be read, legal is unread (trusted)
    await app.stop();
    standIn.inject({ method: 'usergroups.users.list', fault: { kind: 'http_error', status: 503 } });
    app = await r.start();
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
    await r.close(app);
  }
});

/**
 * A deadline due at a start where Slack cannot read a user group it depends on waits (until two minutes after the
 * start) for the group to be read: the escalation then asks the leads as they are now, not the people of the flag.
 */
test('an escalation due at a start while the leads\' user group is unread waits for it, then asks the leads as they are', async () => {
  const r = await rig(LEADS_AS_GROUP);
  const { standIn } = r;
  standIn.setUsergroup('S0LEADS', [PEOPLE.lead]);
  let app: Greenlight = await r.start();
  const escalatedTo = (userId: string) => standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === standIn.dmChannelFor(userId) && String(c.params.text).startsWith('Escalated to you'));
  try {
    await r.flagCrisis(app);
    // given, while Greenlight is down, bea replaces the lead in the leads and tier 0's ten minutes run out
    await app.stop();
    standIn.setUsergroup('S0LEADS', [PEOPLE.bea]);
    r.offset = 11 * 60_000;
    // when it starts while Slack cannot read user groups
    standIn.inject({ method: 'usergroups.users.list', fault: { kind: 'http_error', status: 503 } });
    app = await r.start();
    expect(app.directory.unreadRoles().has('leads')).toBe(true);
    // then the timeout waits: tier 0 keeps the moment, and nobody is asked yet
    app.scanner.sweep();
    expect(app.store.moments.get(1)?.tier).toBe(0);
    // and once the leads are read, the escalation asks bea, not the lead who left
    standIn.clearFaults();
    await app.directory.refresh();
    r.offset += 6_000;
    app.scanner.sweep();
    await app.worker.settled(10_000);
    expect(app.store.moments.get(1)?.tier).toBe(1);
    expect(escalatedTo(PEOPLE.bea)).toHaveLength(1);
    expect(escalatedTo(PEOPLE.lead)).toHaveLength(0);
  } finally {
    await r.close(app);
  }
});

test('an escalation waits for an unread user group two minutes after the start at most, then asks the people of the flag', async () => {
  const r = await rig(LEADS_AS_GROUP);
  r.standIn.setUsergroup('S0LEADS', [PEOPLE.lead]);
  const app = await r.start();
  try {
    await r.flagCrisis(app);
    // given the leads cannot be read (as if never read since the start: the directory forgets them)
    const roster = app.directory.roster();
    // (the scanner's, as at a start an hour after tier 0's window ran out)
    r.offset = 70 * 60_000;
    const unread: Roster = { members: new Map([...roster.members].filter(([role]) => role !== 'leads')), unread: new Set(['leads']), unreadWaitUntil: Date.now() + r.offset + 2 * 60_000 };
    // when it sweeps at the start, then a minute later (the deadline was put off a few seconds each time)
    sweepDeadlines(app.store, Date.now() + r.offset, unread);
    expect(app.store.moments.get(1)?.tier).toBe(0);
    expect(app.store.deadlines.openFor(1).find((d) => d.kind === 'timeout')?.dueAt).toBeGreaterThan(Date.now() + r.offset);
    r.offset += 60_000;
    sweepDeadlines(app.store, Date.now() + r.offset, unread);
    expect(app.store.moments.get(1)?.tier).toBe(0);
    // and two minutes after the start
    r.offset += 61_000;
    sweepDeadlines(app.store, Date.now() + r.offset, unread);
    // then past two minutes it escalated to the lead of the flag
    expect(app.store.moments.get(1)?.tier).toBe(1);
    expect(app.store.reviews.assignments(1).filter((a) => a.tier === 1).map((a) => a.userId)).toEqual([PEOPLE.lead]);
  } finally {
    await r.close(app);
  }
});

/**
 * While a timeout waits for an unread user group, the tier that has the moment keeps deciding: Reject… opens its form
 * as Approve is taken, rather than one refused as out of time while the other closes the moment.
 */
test.each([
  ['right after the sweep put it off', 0],
  ['between two rechecks, the put-off timeout due again before the next sweep', 6_000],
])('while the escalation waits for the unread leads (%s), tier 0\'s Reject… opens its form and its Approve is taken', async (_when, laterMs) => {
  const r = await rig(LEADS_AS_GROUP);
  const { standIn } = r;
  standIn.setUsergroup('S0LEADS', [PEOPLE.lead]);
  let app: Greenlight = await r.start();
  const press = async (userId: string, action: string, key: string) => {
    const value = `1:1:0:${app.store.moments.get(1)?.stamp ?? ''}`;
    const request = signed(blockActionBody(userId, action, value, { responseUrl: standIn.responseUrl(key), triggerId: `trigger.${key}` }), 'application/x-www-form-urlencoded');
    expect((await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', headers: request.headers, body: request.body })).status).toBe(200);
  };
  try {
    await r.flagCrisis(app);
    // given tier 0's ten minutes ran out while Greenlight was down, and it starts while Slack cannot read user groups
    await app.stop();
    r.offset = 11 * 60_000;
    standIn.inject({ method: 'usergroups.users.list', fault: { kind: 'http_error', status: 503 } });
    app = await r.start();
    app.scanner.sweep();
    expect(app.store.moments.get(1)?.tier).toBe(0);
    r.offset += laterMs;
    // when comms' cal presses Reject…: his form opens, with no word that his time ran out
    await press(PEOPLE.cal, ACTION.reject, 'cal');
    await standIn.waitFor(() => standIn.openedViews().some((v) => v.triggerId === 'trigger.cal') || standIn.responses('cal').length > 0, 3000, "cal's form or answer");
    await app.worker.settled(10_000);
    expect(standIn.responses('cal').map((answer) => String(answer.body.text))).toEqual([]);
    // and legal's leo approving is taken at tier 0, as the escalation still waits
    await press(PEOPLE.leo, ACTION.approve, 'leo');
    await app.worker.settled(10_000);
    expect(app.store.moments.get(1)?.tier).toBe(0);
    expect(app.store.reviews.decisions(1).map((d) => [d.action, d.userId])).toContainEqual(['approve', PEOPLE.leo]);
  } finally {
    await r.close(app);
  }
});
