/** The team's stats as /moment stats and App Home show them, from a history written by the workflow itself. */
import { statsWindowStart, teamStats } from '../../src/core/stats';
import { buildListText, buildStatsText } from '../../src/slack/blocks/command-replies';
import { buildHome } from '../../src/slack/blocks/home';
import { homeContents } from '../../src/workflow/home-contents';
import { moveDeadlinesBack } from '../../src/workflow/move-deadlines-back';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { actor, CONTENT, CRISIS, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
import { memoryStore, type MemoryStore } from '../store/store-fixtures';

let m: MemoryStore;
let n = 0;
beforeEach(() => {
  m = memoryStore();
});
afterEach(() => m.store.close());

// Four hours for the flagger to send a revision: the topic's decide_within.
const SPORTS = topic({ name: 'sports', decideWithinMs: 4 * 60 * MINUTE });
function flag(title: string, at: number, t = SPORTS): number {
  n += 1;
  const r = recordFlag(m.store, { flaggerId: PEOPLE.flagger, content: { ...CONTENT, title }, topic: t, source: undefined }, membersFrom(MEMBERS), { userId: PEOPLE.flagger, channel: 'C0HERE', responseUrl: undefined }, `flag:${n}`, at);
  if (r.kind !== 'flagged') throw new Error(JSON.stringify(r));
  return r.momentId;
}
function run(id: number, command: Parameters<typeof runCommand>[2], at: number): void {
  n += 1;
  const r = runCommand(m.store, id, command, { userId: command.actor.userId, channel: undefined, responseUrl: undefined }, `cmd:${n}`, at);
  if (r.kind !== 'done') throw new Error(JSON.stringify(r));
}

test("the team's median time to a decision does not count the hours the flagger took to send a revision", () => {
  // given a sports moment on which brand asked for changes 2 minutes after the flag
  const id = flag('Final whistle', T0);
  run(id, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Name the team' }, T0 + 2 * MINUTE);
  // and the flagger sent the revision three hours later, which brand approved a minute after it came
  run(id, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, title: 'Final whistle, Tigers' } }, T0 + 3 * 60 * MINUTE + 2 * MINUTE);
  run(id, { kind: 'approve', actor: actor(PEOPLE.ana) }, T0 + 3 * 60 * MINUTE + 3 * MINUTE);
  expect(m.store.moments.get(id)?.state.status).toBe('approved');
  // when anyone asks /moment stats (or opens App Home)
  const text = buildStatsText(teamStats(m.store.moments.outcomesSince(statsWindowStart(T0 + 4 * 60 * MINUTE))), 30);
  // then "Median time to a decision" for sports is not the 3h 3m from flag to approval, 3 hours of it the flagger's:
  // the reviewers took 3 minutes over both revisions
  expect(text).toContain('*Median time to a decision, by topic* (time spent revising left out)');
  expect(text).toContain('• sports: 3m 0s (1 of 1 decided)');
});

describe('after the clock was set back (an NTP correction), as the deadline scanner moves deadlines back', () => {
  const statsText = (now: number) => buildStatsText(teamStats(m.store.moments.outcomesSince(statsWindowStart(now))), 30);

  test('a crisis decided 8 real minutes after its flag, across an NTP set-back of an hour, is not shown as decided in 0s', () => {
    // given a crisis flagged at T0 on a clock running an hour fast
    const id = flag('Outage statement', T0, CRISIS);
    // when, 5 real minutes later, the clock is set right (back an hour) and Greenlight moves its deadlines back
    moveDeadlinesBack(m.store, 60 * MINUTE, T0 + 5 * MINUTE - 60 * MINUTE);
    // and comms and legal approve 8 real minutes after the flag
    run(id, { kind: 'approve', actor: actor(PEOPLE.cal) }, T0 + 7 * MINUTE - 60 * MINUTE);
    run(id, { kind: 'approve', actor: actor(PEOPLE.leo) }, T0 + 8 * MINUTE - 60 * MINUTE);
    expect(m.store.moments.get(id)?.state.status).toBe('approved');
    // then the team's median time to a decision for crisis is the 8 minutes it took
    expect(statsText(T0)).toContain('• crisis: 8m 0s (1 of 1 decided)');
  });

  test('a set-back smaller than the time a moment waited takes the step off its time to a decision', () => {
    // given a sports moment (2 hours to decide) flagged at T0; 40 real minutes later the clock is set back 30 minutes
    const id = flag('Final whistle', T0, topic({ name: 'sports', decideWithinMs: 120 * MINUTE }));
    moveDeadlinesBack(m.store, 30 * MINUTE, T0 + 40 * MINUTE - 30 * MINUTE);
    // when brand approves 75 real minutes after the flag (T0 + 45 min on the corrected clock)
    run(id, { kind: 'approve', actor: actor(PEOPLE.ana) }, T0 + 75 * MINUTE - 30 * MINUTE);
    // then it took 1h 15m, not 45m
    expect(statsText(T0 + 45 * MINUTE)).toContain('• sports: 1h 15m (1 of 1 decided)');
  });

  test('a set-back while the flagger revises is not counted as the reviewers\' time', () => {
    // given a sports moment flagged at T0 on a clock running an hour fast; brand asks for changes 2 real minutes later
    const HOUR = 60 * MINUTE;
    const id = flag('Final whistle', T0);
    run(id, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Name the team' }, T0 + 2 * MINUTE);
    // and 30 real minutes after the flag, while the flagger rewrites, the clock is set back an hour
    moveDeadlinesBack(m.store, HOUR, T0 + 30 * MINUTE - HOUR);
    // when the flagger sends the revision 3 real hours after the flag, and brand approves it a real minute later
    run(id, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, title: 'Final whistle, Tigers' } }, T0 + 3 * HOUR + 2 * MINUTE - HOUR);
    run(id, { kind: 'approve', actor: actor(PEOPLE.ana) }, T0 + 3 * HOUR + 3 * MINUTE - HOUR);
    expect(m.store.moments.get(id)?.state.status).toBe('approved');
    // then the reviewers took 3 minutes, as without the step: not 1h 3m
    expect(statsText(T0 + 2 * HOUR)).toContain('• sports: 3m 0s (1 of 1 decided)');
  });

  test('a request and its revision both after a set-back, within the step of it, add nothing: no "decided in 0s"', () => {
    // given the clock set back an hour at T0 on the corrected clock
    const HOUR = 60 * MINUTE;
    moveDeadlinesBack(m.store, HOUR, T0);
    // when a moment is flagged 5 minutes later, changes are asked 2 minutes after, the revision comes 10 minutes after
    // that and is approved a minute later
    const id = flag('Final whistle', T0 + 5 * MINUTE);
    run(id, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Name the team' }, T0 + 7 * MINUTE);
    run(id, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, title: 'Final whistle, Tigers' } }, T0 + 17 * MINUTE);
    run(id, { kind: 'approve', actor: actor(PEOPLE.ana) }, T0 + 18 * MINUTE);
    // then the reviewers took 3 minutes
    expect(statsText(T0 + HOUR)).toContain('• sports: 3m 0s (1 of 1 decided)');
  });

  test('a request and its revision both before a set-back add nothing either', () => {
    // given changes asked 2 real minutes after the flag and the revision 8 minutes after that, on a clock an hour fast
    const HOUR = 60 * MINUTE;
    const id = flag('Final whistle', T0);
    run(id, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Name the team' }, T0 + 2 * MINUTE);
    run(id, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, title: 'Final whistle, Tigers' } }, T0 + 10 * MINUTE);
    // when the clock is set back an hour 30 real minutes after the flag, and brand approves 40 real minutes after it
    moveDeadlinesBack(m.store, HOUR, T0 + 30 * MINUTE - HOUR);
    run(id, { kind: 'approve', actor: actor(PEOPLE.ana) }, T0 + 40 * MINUTE - HOUR);
    // then the reviewers took 32 minutes (40 less the flagger's 8)
    expect(statsText(T0)).toContain('• sports: 32m 0s (1 of 1 decided)');
  });

  test('/moment list and the Home put a moment flagged after the set-back above one flagged before it (newest first)', () => {
    // given A flagged at T0 on a clock an hour fast; 5 real minutes later the clock is set back an hour
    const a = flag('Flagged first', T0);
    moveDeadlinesBack(m.store, 60 * MINUTE, T0 + 5 * MINUTE - 60 * MINUTE);
    // and B flagged 5 real minutes after that
    const b = flag('Flagged second', T0 + 10 * MINUTE - 60 * MINUTE);
    // when the flagger lists their open moments
    const open = m.store.moments.openFor({ userId: PEOPLE.flagger, channel: 'C0GENERAL', roles: [] }, 20);
    const list = buildListText(open);
    // then the newest, B, comes first, as in ana's Home (ordered by id), where both wait on her
    expect(open.newest.map((s) => s.id)).toEqual([b, a]);
    expect(list.indexOf('Flagged second')).toBeLessThan(list.indexOf('Flagged first'));
    const flaggerHome = JSON.stringify(buildHome(homeContents(m.store, PEOPLE.flagger, undefined), { stats: teamStats([]), days: 30 }));
    expect(flaggerHome.indexOf('Flagged second')).toBeLessThan(flaggerHome.indexOf('Flagged first'));
  });
});
