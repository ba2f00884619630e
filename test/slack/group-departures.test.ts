import { LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { backendOps } from '../../src/backend/backend-ops';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/slack/directory';
import { GroupDepartures } from '../../src/slack/group-departures';
import { PEOPLE } from '../core/fixtures';
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

beforeEach(() => {
  m = memoryStore();
  legal = [PEOPLE.leo];
  groupReads = 0;
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

async function startProcess(): Promise<Directory> {
  const directory = new Directory(parseTestRouting(), client, QUIET, Date.now, new GroupDepartures(backendOps(m.store, Date.now), QUIET));
  await directory.refresh();
  return directory;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

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
