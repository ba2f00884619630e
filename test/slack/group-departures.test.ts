import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { backendOps } from '../../src/backend/backend-ops';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/slack/directory';
import { GroupDepartures } from '../../src/slack/group-departures';
import { recordFlag } from '../../src/workflow/record-flag';
import { CONTENT, CRISIS, MEMBERS, membersFrom, PEOPLE, T0 } from '../core/fixtures';
import { parseTestRouting } from '../helpers/harness';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

/**
 * Two Greenlight processes on one database, as two directories over one store: Slack tells only one of them that a
 * user group changed, and the other must not let someone who left decide in the minutes before its own next read.
 */

const QUIET = createLogger({ level: LogLevel.ERROR, write: () => undefined });

let m: MemoryStore;
/** What Slack lists in legal's group (S0LEGAL) when either process reads it. */
let legal: string[];
let groupReads: number;
/** Added to the real clock, in every process. */
let offsetMs: number;
const clock = () => Date.now() + offsetMs;

beforeEach(() => {
  m = memoryStore();
  legal = [PEOPLE.leo];
  groupReads = 0;
  offsetMs = 0;
});
afterEach(() => m.store.close());

const client = {
  users: {
    lookupByEmail: async () => ({ ok: true, user: { id: PEOPLE.bea } }),
    info: async ({ user }: { user: string }) => ({ ok: true, user: { id: user, deleted: false } }),
  },
  usergroups: {
    users: {
      list: async () => {
        groupReads += 1;
        return { ok: true, users: [...legal] };
      },
    },
  },
} as unknown as WebClient;

/**
 * One Greenlight process: its own backend (its own turns) and directory. `cards`: wired as greenlight.ts wires them, so a
 * change of roles brings the shared cards and DMs up to date.
 */
async function startProcess(cards = false): Promise<Directory> {
  const backend = backendOps(m.store, clock);
  const directory = new Directory(parseTestRouting(), client, QUIET, clock, new GroupDepartures(backend, QUIET));
  await directory.refresh();
  if (cards) {
    await backend.rosterSinceShown(directory.roster());
    directory.onRosterChange((before, after) => backend.refreshCards(before, after).then(() => undefined));
  }
  return directory;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('someone Slack told one process left legal is out of legal in the other process before its next read', async () => {
  // given two processes that both read leo in legal
  const told = await startProcess();
  const other = await startProcess();
  expect(other.rolesOf(PEOPLE.leo).has('legal')).toBe(true);
  // when Slack takes leo out of the group and tells the first process only
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  // then the other one no longer counts him in legal at his next press, nor offers legal's seat to him
  expect(other.rolesOf(PEOPLE.leo).has('legal')).toBe(false);
  expect(other.membersByRole().get('legal')).toEqual([]);
  expect(told.rolesOf(PEOPLE.leo).has('legal')).toBe(false);
});

test('a group change told to one process makes the others read the group again, so who joined can decide there too', async () => {
  const told = await startProcess();
  const other = await startProcess();
  expect(other.rolesOf(PEOPLE.cal).has('legal')).toBe(false);
  // when Slack adds cal to legal's group (nobody left) and tells the first process, which reads it again
  legal = [PEOPLE.leo, PEOPLE.cal];
  await told.leftGroup('S0LEGAL', []);
  await told.refresh();
  // then the other reads the group at its next look, and cal is in legal there as well
  const readsBefore = groupReads;
  other.rolesOf(PEOPLE.cal);
  await settle();
  expect(groupReads).toBe(readsBefore + 1);
  expect(other.rolesOf(PEOPLE.cal).has('legal')).toBe(true);
});

test('a process does not apply its own news twice, nor read the group again for it', async () => {
  const told = await startProcess();
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  const readsBefore = groupReads;
  told.rolesOf(PEOPLE.leo);
  await settle();
  expect(groupReads).toBe(readsBefore);
});

test('a process started after the news reads the group from Slack, and old news does not take back what Slack says now', async () => {
  const told = await startProcess();
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  // when leo is back in the group by the time a new process starts
  legal = [PEOPLE.leo];
  const later = await startProcess();
  expect(later.rolesOf(PEOPLE.leo).has('legal')).toBe(true);
});

test('news a day old is forgotten when the next is written', async () => {
  const told = await startProcess();
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  m.store.transaction(() => m.store.groupDepartures.record('S0LEGAL', [PEOPLE.leo], 'a-process-long-gone', Date.now() - 25 * 60 * 60_000));
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  expect(m.store.groupDepartures.since(0).map((row) => row.userIds)).toEqual([[PEOPLE.leo], [PEOPLE.leo]]);
});

test('a flag (the members of each role) and a sweep (the roster) read the news too, not only a press', async () => {
  const told = await startProcess();
  const flagging = await startProcess();
  const sweeping = await startProcess();
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  // a new moment is not seated with leo in legal, nor an escalation's tier read with him
  expect(flagging.membersByRole().get('legal')).toEqual([]);
  expect(sweeping.roster().members.get('legal')).toEqual([]);
});

// The cards and DMs are shared: a group change must bring them up to date once, whichever process Slack told.

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('a flagger is told once that legal is short, though the other process catches up while the told one updates the cards', async () => {
  // given two processes, and an open crisis moment whose only legal reviewer is leo
  const told = await startProcess(true);
  const other = await startProcess(true);
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
  m.db.prepare('DELETE FROM outbox').run();
  // when Slack tells the first process leo left legal, and the other reads the news once it is written (a press, a
  // sweep, a DM it sends) while the first is still bringing the cards up to date
  legal = [];
  const leaving = told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  await turn();
  other.rolesOf(PEOPLE.ana);
  await leaving;
  await settle();
  // then the flagger is told once that legal is short
  expect(notices()).toBe(1);
});

test('someone who left legal and was put back before the other process looked is not reported short, and is in legal there once it has read the group', async () => {
  const told = await startProcess(true);
  const other = await startProcess(true);
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
  // when leo is taken out of legal and put back at once, both told to the first process, which reads the group again
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  legal = [PEOPLE.leo];
  await told.leftGroup('S0LEGAL', []);
  await told.refresh();
  await settle();
  m.db.prepare('DELETE FROM outbox').run();
  // and the other process looks only now (its sweep, a press): it takes the news, and reads the group again
  other.rolesOf(PEOPLE.leo);
  await settle();
  // then the flagger is not told legal is short, and leo is in legal there, as Slack says
  expect(notices()).toBe(0);
  expect(other.rolesOf(PEOPLE.leo).has('legal')).toBe(true);
});

test('news written before the last read of its group started is left alone: Slack answered that read after it', async () => {
  // given a departure written, then put right (leo back), and the other process reading its groups after that
  const told = await startProcess(true);
  const other = await startProcess(true);
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  legal = [PEOPLE.leo];
  await other.refresh();
  // when it looks at the news only then (it had nothing to check meanwhile)
  const roles = other.rolesOf(PEOPLE.leo);
  // then leo is in legal at once: the departure is older than what Slack said since
  expect(roles.has('legal')).toBe(true);
});

function notices(): number {
  return (m.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(payload, '$.kind') = 'notify_flagger'").get() as { n: number }).n;
}

test('a departure told after the clock was set back is applied by a process that read its groups on the clock that ran ahead', async () => {
  // given two processes on one host whose clock runs 5 minutes ahead, and the other one reads legal then (leo in it)
  const told = await startProcess();
  const other = await startProcess();
  offsetMs = 5 * 60_000;
  await other.refresh();
  expect(other.rolesOf(PEOPLE.leo).has('legal')).toBe(true);
  // when NTP sets the clock back to the true time, and only then Slack takes leo out of legal and tells the first process
  offsetMs = 0;
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  // then the other process no longer counts leo in legal at his next press: its read was before the departure
  expect(other.rolesOf(PEOPLE.leo).has('legal')).toBe(false);
});

test('a reviewer put back in legal is reminded once, though the other process reads the group while the told one updates the cards', async () => {
  // given two processes, an open crisis moment whose only legal reviewer is leo, and leo taken out of legal (told to the first)
  const told = await startProcess(true);
  const other = await startProcess(true);
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  other.rolesOf(PEOPLE.ana);
  await settle();
  m.db.prepare('DELETE FROM outbox').run();
  // when leo is put back, Slack tells the first process (as handleSubteamMembersChanged does: leftGroup, then a read),
  // and the other one looks at the news while the first is still reading (a press, a DM it sends)
  legal = [PEOPLE.leo];
  const leaving = told.leftGroup('S0LEGAL', []);
  const reading = told.refresh();
  await turn();
  other.rolesOf(PEOPLE.ana);
  await leaving;
  await reading;
  await settle();
  // then leo is reminded once (and the flagger told once that legal has people again)
  const count = (what: string) => (m.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE json_extract(payload, '$.kind') = 'remind_reviewer' AND json_extract(payload, '$.userId') = ?`).get(what) as { n: number }).n;
  const staffed = (m.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(payload, '$.note.what') = 'staffed_again'").get() as { n: number }).n;
  const updates = (m.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(payload, '$.kind') = 'update_card'").get() as { n: number }).n;
  expect({ reminders: count(PEOPLE.leo), staffed, updates }).toEqual({ reminders: 1, staffed: 1, updates: 1 });
});

test('when the told process could not bring the cards up to date, the other one does at its next read', async () => {
  // given two processes, an open crisis moment whose only legal reviewer is leo; the told process's card refresh fails
  // (the database locked past its timeout by the other process, or it is stopped half-way through a deploy)
  const told = await startProcess();
  told.onRosterChange(() => Promise.resolve());
  const other = await startProcess(true);
  recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, 'flag:1', T0);
  m.db.prepare('DELETE FROM outbox').run();
  // when Slack tells the first process leo left legal
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  // and the other process looks at the news, then reads its groups again (its regular five-minute refresh)
  other.rolesOf(PEOPLE.ana);
  await settle();
  await other.refresh();
  // then leo's DM and the card are updated (before 52a13ef, the other process's own read noticed leo gone and did so)
  const kinds = (m.db.prepare("SELECT json_extract(payload, '$.kind') AS kind FROM outbox").all() as { kind: string }[]).map((r) => r.kind);
  expect(kinds).toContain('update_card');
});
