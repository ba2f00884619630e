import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/** The leads as a Slack user group, so who is in it can change while a moment waits at tier 0. */
const LEADS_AS_GROUP = TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, 'leads: { usergroup: S0LEADS }');

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ routingYaml: LEADS_AS_GROUP });
});
afterEach(async () => {
  await h.close();
});

async function setLeads(members: string[]): Promise<void> {
  h.standIn.setUsergroup('S0LEADS', members);
  await h.app.directory.refresh();
}

function cardBlocks(): string {
  return JSON.stringify(h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined)?.blocks);
}

const dmsTo = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

test('a timeout asks the leads as they are now: who joined after the flag is asked and decides, who left is not asked', async () => {
  // given the leads were the lead alone when the moment was flagged
  await setLeads([PEOPLE.lead]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  // when cal replaces the lead in the group, and the moment times out at tier 0
  await setLeads([PEOPLE.cal]);
  h.advance(30 * 60_000);
  h.app.scanner.sweep();
  await h.settle();
  // then the moment is with the leads, cal is asked and the lead is not
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(JSON.stringify(dmsTo(PEOPLE.cal).map((m) => m.blocks))).toContain('escalated to you');
  expect(dmsTo(PEOPLE.lead)).toEqual([]);
  // and the card lists cal as awaited at tier 1, no longer the lead
  expect(cardBlocks()).toContain(`<@${PEOPLE.cal}> ⏳`);
  expect(cardBlocks()).not.toContain(`<@${PEOPLE.lead}>`);
  // and cal's approval settles it, while the lead's press is turned away
  await h.click(PEOPLE.lead, ACTION.approve, '1:1');
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.lead}`).map((r) => String(r.body.text)).join()).toContain('not yours');
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.cal });
});

test('a leads group empty at the flag and staffed since: the card offers Escalate as soon as the directory sees it, and the press asks the new lead', async () => {
  // given nobody was in the leads when the moment was flagged: the card offers no Escalate
  await setLeads([]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  expect(cardBlocks()).not.toContain(ACTION.escalate);
  const updatesBefore = h.standIn.callsTo('chat.update').length;
  // when the lead joins (nothing happens to the moment itself)
  await setLeads([PEOPLE.lead]);
  await h.settle();
  // then the card and the two brand reviewers' DMs are updated once each, and offer Escalate
  expect(h.standIn.callsTo('chat.update')).toHaveLength(updatesBefore + 3);
  expect(cardBlocks()).toContain(ACTION.escalate);
  for (const reviewer of [PEOPLE.ana, PEOPLE.bea]) expect(JSON.stringify(dmsTo(reviewer)[0]?.blocks)).toContain(ACTION.escalate);
  // and a refresh that finds the same people updates nothing
  await setLeads([PEOPLE.lead]);
  await h.settle();
  expect(h.standIn.callsTo('chat.update')).toHaveLength(updatesBefore + 3);
  // when the flagger presses it, then the lead is seated at tier 1, asked, and decides alone
  await h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(h.app.store.reviews.assignments(1)).toContainEqual({ tier: 1, role: 'leads', userId: PEOPLE.lead });
  expect(JSON.stringify(dmsTo(PEOPLE.lead).map((m) => m.blocks))).toContain('escalated to you');
  await h.click(PEOPLE.lead, ACTION.approve, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.lead });
});

test('a reviewer of tier 0 who left the leads since the flag is not asked as a lead when the moment escalates', async () => {
  // given cal was in comms and in the leads when a crisis moment was flagged (asked at tier 0 as comms)
  await setLeads([PEOPLE.cal]);
  await h.command(PEOPLE.flagger, 'Outage statement #crisis');
  await h.settle();
  // when the lead replaces cal in the leads and tier 0 times out
  await setLeads([PEOPLE.lead]);
  h.advance(10 * 60_000);
  h.app.scanner.sweep();
  await h.settle();
  // then the lead is asked; cal, still in comms, is not told the moment is theirs to settle as a lead
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(JSON.stringify(dmsTo(PEOPLE.lead).map((m) => m.blocks))).toContain('escalated to you');
  expect(JSON.stringify(dmsTo(PEOPLE.cal).map((m) => m.blocks))).not.toContain('escalated to you');
});

test('a review DM whose answer was lost is still found after the moment moved on, so the close takes its buttons away', async () => {
  // given cal's first review DM lands but Slack answers 503 (the post's fate unknown to Greenlight)
  h.standIn.inject({ method: 'chat.postMessage', channel: h.standIn.dmChannelFor(PEOPLE.cal), times: 1, fault: { kind: 'http_error', status: 503, landed: true } });
  await h.command(PEOPLE.flagger, 'Outage statement #crisis');
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.status === 503), 5000, 'the landed 503');
  // when the flagger escalates before the retry, and the lead (set as the only lead) approves
  await setLeads([PEOPLE.lead]);
  await h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0');
  await h.settle();
  await h.click(PEOPLE.lead, ACTION.approve, '1:1');
  await h.settle();
  // then cal's one DM was found and recorded, and the close took its buttons away
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  const dms = dmsTo(PEOPLE.cal);
  expect(dms).toHaveLength(1);
  expect(JSON.stringify(dms[0]?.blocks)).not.toContain(ACTION.approve);
});

test('a reviewer of tier 0 who is also a lead has the old DM say it was replaced, and the new one says it was escalated to them', async () => {
  // given ana is in brand and in the leads
  await setLeads([PEOPLE.lead, PEOPLE.ana]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  // when bea escalates
  await h.click(PEOPLE.bea, ACTION.escalate, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  // then ana's first DM no longer carries tier 0's buttons (a press there would be refused): it points to the newer one
  const [first, second] = dmsTo(PEOPLE.ana).map((m) => JSON.stringify(m.blocks));
  expect(first).not.toContain(ACTION.approve);
  expect(first).toContain('escalated to *leads* since this message, which no longer counts');
  // and her new DM keeps its own words
  expect(second).toContain('escalated to you');
  // and bea's DM has nothing to press
  expect(JSON.stringify(dmsTo(PEOPLE.bea)[0]?.blocks)).not.toContain(ACTION.approve);
});

test('a DM re-rendered while the moment is open keeps its own words: an escalation DM stays one when Escalate goes', async () => {
  // given crisis-free routing with two escalation tiers (the leads, then legal), and a moment escalated to the leads
  await h.close();
  h = await startHarness({ routingYaml: LEADS_AS_GROUP.replace('  escalate_to: [leads]', '  escalate_to: [leads, legal]') });
  await setLeads([PEOPLE.lead]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0');
  await h.settle();
  const escalated = () => JSON.stringify(dmsTo(PEOPLE.lead).at(-1)?.blocks);
  expect(escalated()).toContain(ACTION.escalate);
  // when legal's group empties, so there is no one left to escalate to
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  // then the lead's DM loses Escalate and still says it was escalated to them
  expect(escalated()).not.toContain(ACTION.escalate);
  expect(escalated()).toContain('escalated to you');
});

test('a reminder DM of a tier the moment left, to someone asked at the new tier, says it was replaced, once', async () => {
  // given ana in brand and in the leads, reminded at tier 0
  await setLeads([PEOPLE.lead, PEOPLE.ana]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  h.advance(15 * 60_000 + 1000);
  h.app.scanner.sweep();
  await h.settle();
  const reminderTs = dmsTo(PEOPLE.ana).find((m) => JSON.stringify(m.blocks).includes('Reminder'))?.ts;
  expect(reminderTs).toBeDefined();
  // when the moment times out to the leads (ana among them)
  h.advance(15 * 60_000);
  h.app.scanner.sweep();
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  // then the old reminder says it was replaced, with nothing to press, and does not say tier 1's window is half gone
  const reminderNow = () => dmsTo(PEOPLE.ana).find((m) => m.ts === reminderTs);
  const blocks = JSON.stringify(reminderNow()?.blocks);
  expect(blocks).not.toContain(ACTION.approve);
  expect(blocks).not.toContain('Reminder');
  expect(blocks).toContain('escalated to *leads* since this message');
  // and the end, which every DM says, updates it once more
  const updatesOf = (ts: string | undefined) => h.standIn.callsTo('chat.update').filter((c) => c.params.ts === ts).length;
  const before = updatesOf(reminderTs);
  await h.click(PEOPLE.lead, ACTION.approve, '1:1:1');
  await h.settle();
  expect(updatesOf(reminderTs)).toBe(before + 1);
  expect(JSON.stringify(reminderNow()?.blocks)).toContain('This moment is approved: nothing more is needed from you.');
});

test('an escalation DM that goes out after the moment closed does not ping someone who already has a DM about it', async () => {
  // given ana in brand and in the leads, and her escalation DM held back by Slack
  await setLeads([PEOPLE.lead, PEOPLE.ana]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  const anaDm = h.standIn.dmChannelFor(PEOPLE.ana);
  h.standIn.inject({ method: 'chat.postMessage', channel: anaDm, times: 1, fault: { kind: 'slack_error', error: 'ratelimited' } });
  await h.click(PEOPLE.bea, ACTION.escalate, '1:1:0');
  // when the lead approves before ana's escalation DM is delivered
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.params.channel === anaDm && c.status === 200 && (c.response as { ok?: boolean }).ok === false), 3000, "ana's escalation DM held back");
  await h.click(PEOPLE.lead, ACTION.approve, '1:1:1');
  await h.settle();
  // then the moment is approved, and ana got no second DM saying "Review needed"
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  expect(dmsTo(PEOPLE.ana)).toHaveLength(1);
  expect(dmsTo(PEOPLE.ana)[0]?.text).toContain('nothing more is needed from you');
});

// A review DM whose post landed but whose answer was lost, found again after the moment moved on, is recorded as asking
// about the tier it was queued for: it then reads as replaced like any other, not as a second live review.
test('a tier-0 DM whose answer was lost, found after an escalation, says it was replaced like any other', async () => {
  // given ana is in brand and in the leads, and her tier-0 DM lands with Slack answering 503
  await setLeads([PEOPLE.lead, PEOPLE.ana]);
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
