/** The team's stats as /moment stats and App Home show them, from a history written by the workflow itself. */
import { statsWindowStart, teamStats } from '../../src/core/stats';
import { buildStatsText } from '../../src/slack/blocks/command-replies';
import { recordFlag } from '../../src/workflow/record-flag';
import { runCommand } from '../../src/workflow/run-command';
import { actor, CONTENT, MEMBERS, membersFrom, MINUTE, PEOPLE, T0, topic } from '../core/fixtures';
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
