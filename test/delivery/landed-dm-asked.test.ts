import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * A review DM whose post landed but whose answer was lost, found again after the moment moved on, is recorded as asking
 * about the tier it was queued for: it then reads as replaced like any other, not as a second live review.
 */
const LEADS_AS_GROUP = TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, 'leads: { usergroup: S0LEADS }');
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ routingYaml: LEADS_AS_GROUP });
});
afterEach(async () => {
  await h.close();
});
const dmsTo = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

test('a tier-0 DM whose answer was lost, found after an escalation, says it was replaced like any other', async () => {
  // given ana is in brand and in the leads, and her tier-0 DM lands with Slack answering 503
  h.standIn.setUsergroup('S0LEADS', [PEOPLE.lead, PEOPLE.ana]);
  await h.app.directory.refresh();
  h.standIn.inject({ method: 'chat.postMessage', channel: h.standIn.dmChannelFor(PEOPLE.ana), times: 1, fault: { kind: 'http_error', status: 503, landed: true } });
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.status === 503), 5000, 'the landed 503');
  // when bea escalates before the retry
  await h.click(PEOPLE.bea, ACTION.escalate, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  // and it says it was replaced, with nothing to press; only the new one asks
  const [first, second] = dmsTo(PEOPLE.ana).map((m) => JSON.stringify(m.blocks));
  expect(dmsTo(PEOPLE.ana)).toHaveLength(2);
  expect(second).toContain('escalated to you');
  expect(first).toContain('since this message, which no longer counts');
  expect(first).not.toContain(ACTION.approve);
  // (the cause: the DM about tier 0 was recorded as asking about tier 1)
  expect(h.app.store.messages.dmsTo(1, PEOPLE.ana).map((dm) => dm.asked?.tier)).toEqual([0, 1]);
});
