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
 * Two processes on one database, each with its own directory and its own turns for the cards, wired as greenlight.ts
 * wires them: the cards and DMs are shared, so a group change must bring them up to date once.
 */

const QUIET = createLogger({ level: LogLevel.ERROR, write: () => undefined });
let m: MemoryStore;
let legal: string[];
/** Added to the real clock, in both processes. */
let offsetMs: number;
const clock = () => Date.now() + offsetMs;
beforeEach(() => {
  m = memoryStore();
  legal = [PEOPLE.leo];
  offsetMs = 0;
});
afterEach(() => m.store.close());

const client = {
  users: {
    lookupByEmail: async () => ({ ok: true, user: { id: PEOPLE.bea } }),
    info: async ({ user }: { user: string }) => ({ ok: true, user: { id: user, deleted: false } }),
  },
  usergroups: { users: { list: async () => ({ ok: true, users: [...legal] }) } },
} as unknown as WebClient;

/** One Greenlight process: its own backend (its own turns) and directory, wired as greenlight.ts wires them. */
async function startProcess(): Promise<Directory> {
  const backend = backendOps(m.store, clock);
  const directory = new Directory(parseTestRouting(), client, QUIET, clock, new GroupDepartures(backend, QUIET));
  await directory.refresh();
  await backend.rosterSinceShown(directory.roster());
  directory.onRosterChange((before, after) => backend.refreshCards(before, after).then(() => undefined));
  return directory;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('a flagger is told once that legal is short, though the other process catches up while the told one updates the cards', async () => {
  // given two processes, and an open crisis moment whose only legal reviewer is leo
  const told = await startProcess();
  const other = await startProcess();
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
  const told = await startProcess();
  const other = await startProcess();
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

test('news older than the last read of its group by more than a clock can be off is left alone: Slack answered that read after it', async () => {
  // given a departure written, then put right (leo back), and the other process reading its groups a while later
  const told = await startProcess();
  const other = await startProcess();
  legal = [];
  await told.leftGroup('S0LEGAL', [PEOPLE.leo]);
  legal = [PEOPLE.leo];
  offsetMs = 2 * 60_000;
  await other.refresh();
  // when it looks at the news only then (it had nothing to check meanwhile)
  const roles = other.rolesOf(PEOPLE.leo);
  // then leo is in legal at once: the departure is older than what Slack said since
  expect(roles.has('legal')).toBe(true);
});

function notices(): number {
  return (m.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(payload, '$.kind') = 'notify_flagger'").get() as { n: number }).n;
}
