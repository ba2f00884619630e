import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/**
 * A user ID in the routing file that Slack does not know (a typo) or has deactivated: the operator is told at start
 * which entry to fix, as for an unknown email or user group, and a DM Slack refuses for a person gone since says so.
 */

const UNKNOWN = 'U0TYPO1';

const ROUTING = `
defaults:
  channel: ${REVIEW_CHANNEL}
roles:
  brand: { members: [${UNKNOWN}, ${PEOPLE.ana}] }
topics:
  - name: default
    require: { brand: 1 }
`;

let h: Harness;
let lines: string[];
beforeEach(async () => {
  lines = [];
  h = await startHarness({ routingYaml: ROUTING, logLines: lines });
});
afterEach(async () => {
  await h.close();
});

const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

test('a user ID Slack does not know is logged at start with its role and left out: the flag goes to the others only', async () => {
  // The stand-in has no user U0TYPO1: users.info answers user_not_found, as Slack does.
  expect(logged().filter((l) => l.level === 'warn' && l.userId === UNKNOWN)).toEqual([
    expect.objectContaining({ role: 'brand', error: 'user_not_found', fix: 'correct it in the routing file, then restart Greenlight' }),
  ]);
  await h.command(PEOPLE.flagger, 'Launch teaser: copy');
  await h.settle();
  expect(h.app.store.reviews.assignments(1).map((a) => a.userId)).toEqual([PEOPLE.ana]);
  expect(h.standIn.callsTo('conversations.open').map((c) => c.params.users)).not.toContain(UNKNOWN);
});

test('a review DM Slack refuses for a person gone since the start names them and the routing file to fix', async () => {
  // Slack answers conversations.open for a user deactivated since with user_not_found.
  h.standIn.inject({ method: 'conversations.open', times: 1, fault: { kind: 'slack_error', error: 'user_not_found' } });
  await h.command(PEOPLE.flagger, 'Launch teaser: copy');
  await h.settle();
  const givenUp = logged().filter((l) => l.msg === 'notice given up' && l.notice === 'dm_reviewer');
  expect(givenUp).toEqual([expect.objectContaining({ to: `user:${PEOPLE.ana}`, fix: expect.stringContaining('take them out of the routing file (or their user group)') })]);
});

test('a DM Slack refuses for a flagger gone since is given up without blaming the routing file, where the flagger is not', async () => {
  await h.command(PEOPLE.flagger, 'Launch teaser: copy');
  await h.settle();
  // when the flagger's account is deactivated and the approval's DM to them is refused
  h.standIn.inject({ method: 'conversations.open', times: 1, fault: { kind: 'slack_error', error: 'user_not_found' } });
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  const givenUp = logged().filter((l) => l.msg === 'notice given up' && l.notice === 'notify_flagger');
  expect(givenUp).toEqual([expect.objectContaining({ error: 'user_not_found' })]);
  expect(givenUp[0]?.fix).toBeUndefined();
});
