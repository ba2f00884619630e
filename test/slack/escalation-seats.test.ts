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
  // and cal's approval settles it, while the lead's press is turned away
  await h.click(PEOPLE.lead, ACTION.approve, '1:1');
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.lead}`).map((r) => String(r.body.text)).join()).toContain('not yours');
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.cal });
});

test('a leads group empty at the flag and staffed since: Escalate asks the new lead, who decides alone', async () => {
  // given nobody was in the leads when the moment was flagged: the card offers no Escalate
  await setLeads([]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  expect(cardBlocks()).not.toContain(ACTION.escalate);
  // when the lead joins and the flagger escalates (from the tier-0 card's value)
  await setLeads([PEOPLE.lead]);
  await h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0');
  await h.settle();
  // then the lead is seated at tier 1, asked, and decides alone
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(h.app.store.reviews.assignments(1)).toContainEqual({ tier: 1, role: 'leads', userId: PEOPLE.lead });
  expect(JSON.stringify(dmsTo(PEOPLE.lead).map((m) => m.blocks))).toContain('escalated to you');
  await h.click(PEOPLE.lead, ACTION.approve, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.lead });
});

test('the card offers Escalate once someone joins a leads group that was empty at the flag', async () => {
  // given the leads were empty at the flag, so the card offered no Escalate
  await setLeads([]);
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  expect(cardBlocks()).not.toContain(ACTION.escalate);
  // when the lead joins, and the card is next rendered (any change to the moment queues an update)
  await setLeads([PEOPLE.lead]);
  h.app.store.transaction(() => h.app.store.outbox.enqueue(1, [{ kind: 'update_card' }], h.now()));
  h.app.worker.kick();
  await h.settle();
  // then the card offers Escalate
  expect(cardBlocks()).toContain(ACTION.escalate);
});
