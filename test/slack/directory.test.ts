import { LogLevel } from '@slack/bolt';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { decide } from '../../src/core/decide';
import { flagMoment } from '../../src/core/flag';
import type { Topic } from '../../src/core/routing-types';
import { createLogger } from '../../src/log/logger';
import { Directory, RECHECK_PEOPLE_MS } from '../../src/slack/directory';
import { CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0 } from '../core/fixtures';
import { parseTestRouting, TEST_ROUTING } from '../helpers/harness';

/** What Slack answers for each call: a value, or an error to throw. */
interface Answers {
  group: () => string[];
  email: (email: string) => string;
  /** users.info for a user ID of the routing file; everyone is an active person unless given. */
  user?: (userId: string) => { deleted: boolean };
}

const QUIET = createLogger({ level: LogLevel.ERROR, write: () => undefined });

/** A Web API client for the test routing: legal is the S0LEGAL user group, brand lists bea by email. */
function clientAnswering(answers: Answers): WebClient {
  return {
    users: {
      lookupByEmail: async ({ email }: { email: string }) => ({ ok: true, user: { id: answers.email(email) } }),
      info: async ({ user }: { user: string }) => ({ ok: true, user: { id: user, ...(answers.user?.(user) ?? { deleted: false }) } }),
    },
    usergroups: { users: { list: async () => ({ ok: true, users: answers.group() }) } },
  } as unknown as WebClient;
}

const READABLE: Answers = { group: () => [PEOPLE.leo], email: () => PEOPLE.bea };

/** A Slack blip as the Web API client throws it (no `code`: a request that failed on the way). */
function blip(): never {
  throw Object.assign(new Error('An API error occurred: ratelimited'), { data: { error: 'ratelimited' } });
}

function platformError(error: string): never {
  throw Object.assign(new Error(`An API error occurred: ${error}`), { code: ErrorCode.PlatformError, data: { ok: false, error } });
}

async function directoryAfterStart(answers: Answers): Promise<Directory> {
  const directory = new Directory(parseTestRouting(), clientAnswering(answers), QUIET);
  await directory.refresh();
  return directory;
}

function flagWith(directory: Directory, topic: Topic) {
  const members = directory.membersByRole();
  return flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic, source: undefined }, (r) => members.get(r) ?? [], T0, directory.unreadRoles());
}

describe('a user group Slack could not read while Greenlight started', () => {
  test('the legal reviewer of a moment flagged before the restart can still decide it', async () => {
    // given a crisis moment with leo assigned for legal (through the S0LEGAL user group)
    const view = flagged(CRISIS, { members: MEMBERS });
    expect(view.assignments.some((a) => a.userId === PEOPLE.leo && a.role === 'legal')).toBe(true);
    // when Greenlight restarts and its first read of the user group fails
    const directory = await directoryAfterStart({ ...READABLE, group: blip });
    // then legal, the role not read, counts as his, and his assignment is trusted
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual(['legal']);
    const decided = decide(view, { kind: 'approve', actor: { userId: PEOPLE.leo, currentRoles: directory.rolesOf(PEOPLE.leo) } }, T0 + MINUTE);
    expect(decided.ok).toBe(true);
  });

  test('a crisis flag is refused for now, blaming Slack rather than the routing file', async () => {
    // given legal's group could not be read
    const directory = await directoryAfterStart({ ...READABLE, group: blip });
    expect([...directory.unreadRoles()]).toEqual(['legal']);
    // when someone flags a crisis moment (comms 1, legal 1)
    const result = flagWith(directory, CRISIS);
    // then it is refused with the real cause and what to do
    expect(result).toEqual({
      ok: false,
      message:
        'Greenlight could not read from Slack who is in "legal" yet, so nobody can be asked to approve for topic "crisis". It is asking Slack again: flag this again in a minute. If it keeps happening, whoever runs Greenlight will find why in its log.',
    });
  });

  test('once a later refresh reads the group, roles are exact again: the flag goes through and an outsider holds no role', async () => {
    // given a first read that failed, then Slack answers
    let failing = true;
    const directory = await directoryAfterStart({ ...READABLE, group: () => (failing ? blip() : [PEOPLE.leo]) });
    failing = false;
    // when the directory refreshes
    await directory.refresh();
    // then nothing is unread, leo is legal, the outsider is in no role, and a crisis flag assigns leo
    expect(directory.unreadRoles().size).toBe(0);
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual(['legal']);
    expect([...directory.rolesOf(PEOPLE.outsider)]).toEqual([]);
    const result = flagWith(directory, CRISIS);
    expect(result.ok && result.flagged.assignments.filter((a) => a.tier === 0).map((a) => a.userId)).toEqual([PEOPLE.cal, PEOPLE.leo]);
  });

  test('a group read once keeps its last members when a later read fails: nothing becomes unread', async () => {
    let failing = false;
    const directory = await directoryAfterStart({ ...READABLE, group: () => (failing ? blip() : [PEOPLE.leo]) });
    failing = true;
    await directory.refresh();
    expect(directory.unreadRoles().size).toBe(0);
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual(['legal']);
  });

  test.each<[string, () => unknown]>([
    ['a refusal (no_permission)', () => platformError('no_permission')],
    ['a proxy answering HTTP 404', () => Object.assign(new Error('An HTTP protocol error occurred: statusCode = 404'), { code: ErrorCode.HTTPError, statusCode: 404 })],
    ['an ok:false without an error named', () => Object.assign(new Error('An API error occurred'), { code: ErrorCode.PlatformError, data: { ok: false } })],
  ])('a group read once keeps its members through %s: only Slack saying it does not exist empties it', async (_what, failure) => {
    let failing = false;
    const directory = await directoryAfterStart({
      ...READABLE,
      group: () => {
        if (failing) throw failure();
        return [PEOPLE.leo];
      },
    });
    failing = true;
    await directory.refresh();
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual(['legal']);
  });

  test('a group read once and then deleted in Slack has nobody: its former members no longer decide for the role', async () => {
    let deleted = false;
    const directory = await directoryAfterStart({ ...READABLE, group: () => (deleted ? platformError('no_such_subteam') : [PEOPLE.leo]) });
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual(['legal']);
    deleted = true;
    await directory.refresh();
    expect(directory.unreadRoles().size).toBe(0);
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual([]);
  });

  test('a group Greenlight may not read (the app lacks the scope) is logged with the scope to add', async () => {
    // given the app was installed without usergroups:read
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) });
    const refused = (): never => {
      throw Object.assign(new Error('An API error occurred: missing_scope'), { code: ErrorCode.PlatformError, data: { ok: false, error: 'missing_scope', needed: 'usergroups:read' } });
    };
    const directory = new Directory(parseTestRouting(), clientAnswering({ ...READABLE, group: refused }), logger);
    // when Greenlight reads its reviewers
    await directory.refresh();
    // then the warning says which scope to add, and that the app is then reinstalled
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ msg: 'user group could not be read', usergroup: 'S0LEGAL', error: 'missing_scope', fix: expect.stringContaining('add the scope usergroups:read to the Slack app') }),
    );
  });

  test('a group Slack says does not exist is known to be empty: the log names it, the refusal points at the routing file', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) });
    const directory = new Directory(parseTestRouting(), clientAnswering({ ...READABLE, group: () => platformError('no_such_subteam') }), logger);
    await directory.refresh();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ msg: 'user group not found in Slack: check its ID in the routing file', usergroup: 'S0LEGAL', role: 'legal', fix: 'correct it in the routing file, then restart Greenlight' }),
    );
    expect(directory.unreadRoles().size).toBe(0);
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual([]);
    const result = flagWith(directory, CRISIS);
    expect(!result.ok && result.message).toBe('Nobody can approve for "legal" in topic "crisis" yet: ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know).');
  });

  test('a 429 tells the directory how long Slack asked it to wait', async () => {
    const limited = () => {
      throw Object.assign(new Error('A rate limit was exceeded'), { code: ErrorCode.RateLimitedError, retryAfter: 30 });
    };
    const directory = await directoryAfterStart({ ...READABLE, group: limited });
    expect(directory.unreadRoles()).toEqual(new Set(['legal']));
    expect(directory.retryAfterMs()).toBe(30_000);
  });
});

describe('an email Slack could not look up while Greenlight started', () => {
  test('the reviewer listed by email can still decide, and brand flags still go to the reviewers known by ID', async () => {
    // given bea (brand, listed by email) assigned to a moment, and a restart whose email lookup fails
    const view = flagged();
    const directory = await directoryAfterStart({ ...READABLE, email: blip });
    // then bea is trusted on her assignment, ana (listed by ID) is known exactly
    expect([...directory.rolesOf(PEOPLE.bea)]).toEqual(['brand']);
    expect([...directory.rolesOf(PEOPLE.ana)]).toEqual(['brand']);
    expect(decide(view, { kind: 'approve', actor: { userId: PEOPLE.bea, currentRoles: directory.rolesOf(PEOPLE.bea) } }, T0 + MINUTE).ok).toBe(true);
    const sports = { ...CRISIS, name: 'sports', require: { brand: 1 } };
    const result = flagWith(directory, sports);
    expect(result.ok && result.flagged.assignments.filter((a) => a.tier === 0).map((a) => a.userId)).toEqual([PEOPLE.ana]);
  });

  test('an email Slack has no user for is not unread: the role is known without that person', async () => {
    const directory = await directoryAfterStart({ ...READABLE, email: () => platformError('users_not_found') });
    expect(directory.unreadRoles().size).toBe(0);
    expect([...directory.rolesOf(PEOPLE.bea)]).toEqual([]);
  });
});

describe('a role read while another is not', () => {
  test('someone removed from the role that was read cannot decide for it, though another role is unread', async () => {
    // given a crisis moment with leo assigned for legal, and bea's email never looked up (brand unread)
    const view = flagged(CRISIS, { members: MEMBERS });
    let legal: string[] = [PEOPLE.leo];
    const directory = await directoryAfterStart({ group: () => legal, email: blip });
    expect(directory.unreadRoles()).toEqual(new Set(['brand']));
    // when leo leaves the legal user group and the directory reads it again
    legal = [];
    await directory.refresh();
    // then legal is known without him: brand being unread does not bring his legal assignment back
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual(['brand']);
    const decided = decide(view, { kind: 'approve', actor: { userId: PEOPLE.leo, currentRoles: directory.rolesOf(PEOPLE.leo) } }, T0 + MINUTE);
    expect(decided.ok).toBe(false);
  });
});

describe('refreshes asked for while one is reading', () => {
  test('never overlap: one more read follows the running one, shared by everyone who asked meanwhile', async () => {
    // given a directory whose group read is held open
    let inFlight = 0;
    let most = 0;
    let reads = 0;
    const held: Array<() => void> = [];
    const client = {
      users: { lookupByEmail: async () => ({ ok: true, user: { id: PEOPLE.bea } }) },
      usergroups: {
        users: {
          list: async () => {
            reads += 1;
            inFlight += 1;
            most = Math.max(most, inFlight);
            await new Promise<void>((resolve) => held.push(resolve));
            inFlight -= 1;
            return { ok: true, users: reads === 1 ? [PEOPLE.leo] : [] };
          },
        },
      },
    } as unknown as WebClient;
    const directory = new Directory(parseTestRouting(), client, QUIET);
    const first = directory.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    // when three more refreshes are asked for during that read
    const more = [directory.refresh(), directory.refresh(), directory.refresh()];
    expect(more[1]).toBe(more[0]);
    while (held.length > 0 || reads < 2) {
      held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([first, ...more]);
    // then exactly one more read ran, after the first, and its answer (leo gone) is what the directory holds
    expect(reads).toBe(2);
    expect(most).toBe(1);
    expect([...directory.rolesOf(PEOPLE.leo)]).toEqual([]);
  });
});

describe('an email in the routing file that Slack does not know', () => {
  test('is logged with the email, so the person running Greenlight knows which line to fix', async () => {
    // given the test routing, where brand lists bea by email, and Slack knows no user with it
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) });
    const directory = new Directory(parseTestRouting(), clientAnswering({ ...READABLE, email: () => platformError('users_not_found') }), logger);
    // when Greenlight reads its reviewers
    await directory.refresh();
    // then the warning names the role and the email that was not found, and what to do: the file is read at start only
    const warning = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.msg === 'reviewer email not found in Slack');
    expect(warning).toMatchObject({ level: 'warn', role: 'brand', email: 'bea@example.com', error: 'users_not_found', fix: 'correct it in the routing file, then restart Greenlight' });
  });
});

describe('a user ID in the routing file that is no active person in Slack', () => {
  const logged = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => typeof l.userId === 'string');

  test.each<[string, (userId: string) => { deleted: boolean }, string]>([
    ['Slack does not know (a typo)', (userId) => (userId === PEOPLE.cal ? platformError('user_not_found') : { deleted: false }), 'user_not_found'],
    ['was deactivated', (userId) => ({ deleted: userId === PEOPLE.cal }), 'deactivated'],
  ])('one Slack %s is left out of its role and logged once with the role and the fix', async (_case, user, error) => {
    // given the test routing, where comms is cal alone, by user ID
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) });
    const directory = new Directory(parseTestRouting(), clientAnswering({ ...READABLE, user }), logger);
    // when Greenlight reads its reviewers, and reads them again a few minutes later
    await directory.refresh();
    await directory.refresh();
    // then the operator is told once which entry to fix
    expect(logged(lines)).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'reviewer user ID is not an active person in Slack: left out of its role', role: 'comms', userId: PEOPLE.cal, error, fix: 'correct it in the routing file, then restart Greenlight' }),
    ]);
    // and comms has nobody: a crisis flag is refused with the routing file to fix, rather than pinging nobody
    expect(directory.membersByRole().get('comms')).toEqual([]);
    const flag = flagWith(directory, CRISIS);
    expect(!flag.ok && flag.message).toContain('Nobody can approve for "comms"');
  });

  test('one listed in two roles is asked about once a read, left out of both, and each entry is logged once', async () => {
    // given cal, whom Slack does not know, listed in comms and in leads
    const routing = parseTestRouting(TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, `leads: { members: [${PEOPLE.lead}, ${PEOPLE.cal}] }`));
    const asked: string[] = [];
    const user = (userId: string) => {
      asked.push(userId);
      return userId === PEOPLE.cal ? platformError('user_not_found') : { deleted: false };
    };
    const lines: string[] = [];
    const directory = new Directory(routing, clientAnswering({ ...READABLE, user }), createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) }));
    // when Greenlight reads its reviewers twice
    await directory.refresh();
    await directory.refresh();
    // then cal is out of both roles, asked about once per read, and both entries to fix were said once
    expect(directory.membersByRole().get('comms')).toEqual([]);
    expect(directory.membersByRole().get('leads')).toEqual([PEOPLE.lead]);
    expect(asked.filter((id) => id === PEOPLE.cal)).toHaveLength(2);
    expect(logged(lines).map((l) => l.role)).toEqual(['comms', 'leads']);
  });

  test('an ID Slack could not be asked about stays in its role, and is asked about again at the next read', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) });
    let answered = false;
    const directory = new Directory(parseTestRouting(), clientAnswering({ ...READABLE, user: (userId) => (userId === PEOPLE.cal && !answered ? blip() : { deleted: false }) }), logger);
    await directory.refresh();
    expect(directory.membersByRole().get('comms')).toEqual([PEOPLE.cal]);
    expect(logged(lines)).toEqual([expect.objectContaining({ msg: 'reviewer user ID could not be checked in Slack', userId: PEOPLE.cal })]);
    answered = true;
    await directory.refresh();
    expect(directory.membersByRole().get('comms')).toEqual([PEOPLE.cal]);
    expect(logged(lines)).toHaveLength(1);
  });
});

describe('people who leave the company while Greenlight runs', () => {
  /** A directory on a clock the test moves, counting the people Slack was asked about. */
  function directoryOnClock(answers: Answers, logger = QUIET) {
    let now = T0;
    const asked = { users: 0, emails: 0 };
    const directory = new Directory(
      parseTestRouting(),
      clientAnswering({
        ...answers,
        user: (userId) => ((asked.users += 1), answers.user?.(userId) ?? { deleted: false }),
        email: (email) => ((asked.emails += 1), answers.email(email)),
      }),
      logger,
      () => now,
    );
    return { directory, asked, later: (ms: number) => (now += ms) };
  }

  test('a user ID Slack deactivates leaves its role at the first read an hour after Slack last confirmed it, and is logged once', async () => {
    // given cal (comms, by user ID), an active person when Greenlight starts
    let calDeactivated = false;
    const lines: string[] = [];
    const { directory, asked, later } = directoryOnClock(
      { ...READABLE, user: (userId) => ({ deleted: userId === PEOPLE.cal && calDeactivated }) },
      createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) }),
    );
    await directory.refresh();
    const usersAskedAtStart = asked.users;
    // when Slack deactivates him, and the regular reads run every five minutes
    calDeactivated = true;
    later(5 * MINUTE);
    await directory.refresh();
    // then within the hour nobody is asked about again (a handful of calls an hour, not one per person per read)
    expect(asked.users).toBe(usersAskedAtStart);
    expect(directory.membersByRole().get('comms')).toEqual([PEOPLE.cal]);
    // and at the first read past the hour he is out of comms: a crisis flag is refused rather than wait on him
    later(RECHECK_PEOPLE_MS);
    await directory.refresh();
    later(5 * MINUTE);
    await directory.refresh();
    expect(directory.membersByRole().get('comms')).toEqual([]);
    expect([...directory.rolesOf(PEOPLE.cal)]).toEqual([]);
    const flag = flagWith(directory, CRISIS);
    expect(!flag.ok && flag.message).toContain('Nobody can approve for "comms"');
    const told = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.userId === PEOPLE.cal);
    expect(told).toEqual([expect.objectContaining({ msg: 'reviewer user ID is not an active person in Slack: left out of its role', error: 'deactivated' })]);
  });

  test('an email whose person Slack deactivates leaves its role an hour after it was looked up', async () => {
    // given bea (brand, by email), found when Greenlight starts
    let beaDeactivated = false;
    const { directory, asked, later } = directoryOnClock({
      ...READABLE,
      // Slack answers users_not_found for the email of a deactivated account
      email: () => (beaDeactivated ? platformError('users_not_found') : PEOPLE.bea),
    });
    await directory.refresh();
    expect(directory.membersByRole().get('brand')).toContain(PEOPLE.bea);
    // when she is deactivated
    beaDeactivated = true;
    later(5 * MINUTE);
    await directory.refresh();
    expect(asked.emails).toBe(1);
    later(RECHECK_PEOPLE_MS);
    await directory.refresh();
    // then she is out of brand, and the role is read (nobody waits on an unknown)
    expect(directory.membersByRole().get('brand')).not.toContain(PEOPLE.bea);
    expect([...directory.rolesOf(PEOPLE.bea)]).toEqual([]);
    expect([...directory.unreadRoles()]).toEqual([]);
  });

  test('one Slack fails to answer for when asked again stays in its role, without a warning, and is asked at the next read', async () => {
    // given bea (by email) and cal (by user ID), found when Greenlight starts
    let answering = true;
    const lines: string[] = [];
    const { directory, asked, later } = directoryOnClock(
      {
        ...READABLE,
        email: () => (answering ? PEOPLE.bea : blip()),
        user: () => (answering ? { deleted: false } : blip()),
      },
      createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) }),
    );
    await directory.refresh();
    // when Slack blips on the hour's look
    answering = false;
    later(RECHECK_PEOPLE_MS);
    await directory.refresh();
    // then both keep their roles, which stay read, and nothing is logged about them: nothing for the operator to do
    expect(directory.membersByRole().get('brand')).toContain(PEOPLE.bea);
    expect(directory.membersByRole().get('comms')).toEqual([PEOPLE.cal]);
    expect([...directory.unreadRoles()]).toEqual([]);
    expect(lines.filter((line) => line.includes(PEOPLE.cal) || line.includes('bea@example.com'))).toEqual([]);
    // and they are asked again at the next read, which Slack answers
    const before = { ...asked };
    answering = true;
    later(5 * MINUTE);
    await directory.refresh();
    expect(asked.emails).toBe(before.emails + 1);
    expect(asked.users).toBeGreaterThan(before.users);
  });

  test('one found gone stays out of their role through a later read Slack does not answer, and is not logged again', async () => {
    // given cal (comms, by user ID) and bea (brand, by email), found when Greenlight starts
    let deactivated = false;
    let answering = true;
    const lines: string[] = [];
    const { directory, later } = directoryOnClock(
      {
        ...READABLE,
        user: (userId) => (!answering ? blip() : { deleted: deactivated && userId === PEOPLE.cal }),
        email: () => (!answering ? blip() : deactivated ? platformError('users_not_found') : PEOPLE.bea),
      },
      createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) }),
    );
    await directory.refresh();
    // when both leave the company, and the hour's look finds them gone
    deactivated = true;
    later(RECHECK_PEOPLE_MS);
    await directory.refresh();
    expect(directory.membersByRole().get('comms')).toEqual([]);
    expect(directory.membersByRole().get('brand')).not.toContain(PEOPLE.bea);
    const toldBefore = lines.length;
    // and Slack does not answer the next read (rate limited)
    answering = false;
    later(5 * MINUTE);
    await directory.refresh();
    // then they stay out, their roles stay read, and the log says nothing new about them
    expect(directory.membersByRole().get('comms')).toEqual([]);
    expect(directory.membersByRole().get('brand')).not.toContain(PEOPLE.bea);
    expect([...directory.rolesOf(PEOPLE.cal)]).toEqual([]);
    expect([...directory.unreadRoles()]).toEqual([]);
    expect(lines.slice(toldBefore).filter((line) => line.includes(PEOPLE.cal) || line.includes('bea@example.com'))).toEqual([]);
  });

  test('an email or user group Slack does not know is logged once, not at every five-minute read', async () => {
    // given bea's email and the legal group, both unknown to Slack (a typo, or a person gone for months)
    const lines: string[] = [];
    const { directory, later } = directoryOnClock(
      { ...READABLE, email: () => platformError('users_not_found'), group: () => platformError('no_such_subteam') },
      createLogger({ level: LogLevel.WARN, write: (line) => lines.push(line) }),
    );
    // when Greenlight reads its reviewers for two hours
    for (let read = 0; read < 24; read += 1) {
      await directory.refresh();
      later(5 * MINUTE);
    }
    // then each entry was said once
    const warned = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warned.filter((l) => l.email === 'bea@example.com')).toHaveLength(1);
    expect(warned.filter((l) => l.usergroup === 'S0LEGAL')).toHaveLength(1);
  });
});

describe('a change of who is in a role', () => {
  test('is told once per refresh that changes it, with the roster before and after; the refresh waits for it', async () => {
    // given the directory read at start with leo in legal, and a listener that takes a while
    let legal: string[] = [PEOPLE.leo];
    const directory = await directoryAfterStart({ ...READABLE, group: () => legal });
    const told: { before: string[]; after: string[]; done: boolean }[] = [];
    directory.onRosterChange(async (before, after) => {
      const entry = { before: [...(before.members.get('legal') ?? [])], after: [...(after.members.get('legal') ?? [])], done: false };
      told.push(entry);
      await new Promise((resolve) => setTimeout(resolve, 20));
      entry.done = true;
    });
    // when a refresh finds the same people, then nothing is told
    await directory.refresh();
    expect(told).toEqual([]);
    // when bea joins legal, then the listener is told, and the refresh resolved only after it had finished
    legal = [PEOPLE.leo, PEOPLE.bea];
    await directory.refresh();
    expect(told).toEqual([{ before: [PEOPLE.leo], after: [PEOPLE.leo, PEOPLE.bea], done: true }]);
    // and the same members in another order are no change
    legal = [PEOPLE.bea, PEOPLE.leo];
    await directory.refresh();
    expect(told).toHaveLength(1);
  });

  test('a role Slack answers for at last, after an unread start, is a change', async () => {
    // given legal's group could not be read at start
    let answer: () => string[] = blip;
    const directory = await directoryAfterStart({ ...READABLE, group: () => answer() });
    const unreadBefore: boolean[] = [];
    directory.onRosterChange(async (before) => {
      unreadBefore.push(before.unread.has('legal'));
    });
    // when it is read, then the change is told, from a roster where legal was unread
    answer = () => [PEOPLE.leo];
    await directory.refresh();
    expect(unreadBefore).toEqual([true]);
  });
});

describe('people Slack says left a group', () => {
  test('are out of it at once; a read that started before the news does not bring them back, one after it has the last word', async () => {
    // given legal's group lists leo, and Slack answering group reads only when the test lets it
    const answers: ((members: string[]) => void)[] = [];
    const client = {
      users: { lookupByEmail: async () => ({ ok: true, user: { id: PEOPLE.bea } }) },
      usergroups: { users: { list: () => new Promise<{ ok: true; users: string[] }>((resolve) => answers.push((users) => resolve({ ok: true, users }))) } },
    } as unknown as WebClient;
    const directory = new Directory(parseTestRouting(), client, QUIET);
    const answerNext = async (members: string[]) => {
      for (let i = 0; i < 50 && answers.length === 0; i += 1) await new Promise((resolve) => setImmediate(resolve));
      answers.shift()?.(members);
    };
    const start = directory.refresh();
    await answerNext([PEOPLE.leo]);
    await start;
    expect(directory.rolesOf(PEOPLE.leo).has('legal')).toBe(true);
    // when a regular read starts (Slack still listing leo), and then Slack says leo left
    const regular = directory.refresh();
    await directory.leftGroup('S0LEGAL', [PEOPLE.leo]);
    // then leo is out at once, and the read that started before the news, answering with leo, does not bring him back
    expect(directory.rolesOf(PEOPLE.leo).has('legal')).toBe(false);
    await answerNext([PEOPLE.leo]);
    await regular;
    expect(directory.rolesOf(PEOPLE.leo).has('legal')).toBe(false);
    // and a read started after it is Slack's word: should leo be listed again, he is back
    const later = directory.refresh();
    await answerNext([PEOPLE.leo]);
    await later;
    expect(directory.rolesOf(PEOPLE.leo).has('legal')).toBe(true);
  });
});
