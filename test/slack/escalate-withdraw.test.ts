import { OUT_OF_TIME } from '../../src/slack/actions/decision-buttons';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function cardBlocks(): string {
  const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
  return JSON.stringify(card?.blocks);
}

test('the card offers Escalate and Withdraw with confirmations; the reviewer DM offers no Withdraw', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  expect(cardBlocks()).toContain(ACTION.escalate);
  expect(cardBlocks()).toContain(ACTION.withdraw);
  expect(cardBlocks()).toContain('Withdraw this moment?');
  const dm = JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks);
  expect(dm).toContain(ACTION.escalate);
  expect(dm).not.toContain(ACTION.withdraw);
});

test('a reviewer escalates now: the lead is DMed and the card says so', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.lead))[0]?.blocks)).toContain('escalated to you');
  // and the tier left behind no longer has buttons that would be refused: its DMs say where the moment went
  for (const reviewer of [PEOPLE.ana, PEOPLE.bea]) {
    const dm = JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(reviewer))[0]?.blocks);
    expect(dm).toContain('escalated to *leads*');
    expect(dm).not.toContain(ACTION.approve);
  }
  // and the flagger hears who has their moment now, with a way to the card
  const told = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
  expect(told).toEqual([expect.stringMatching(new RegExp(`^⬆️ <@${PEOPLE.ana}> escalated \\*Oreo\\* to \\*leads\\*: any one of them decides\\. <https://[^|]+\\|Open the card>$`))]);
  // At the last tier there is nothing higher: the button is gone and a forged press is refused.
  expect(cardBlocks()).not.toContain(ACTION.escalate);
  await h.click(PEOPLE.lead, ACTION.escalate, '1:1');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.lead}`).map((r) => String(r.body.text)).join()).toContain('This moment is already with "leads", the last it can be escalated to.');
});

test('two Escalate presses from the same tier-0 card move the moment one tier, and the second presser is told', async () => {
  // given crisis moments escalate twice (tiers: comms and legal, then the leads, then brand), and one flagged
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('    decide_within: 10m', '    decide_within: 10m\n    escalate_to: [leads, brand]') });
  await h.command(PEOPLE.flagger, 'Outage statement #crisis');
  await h.settle();
  const value = h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks;
  expect(JSON.stringify(value)).toContain('"1:1:0:');
  // when the flagger presses Escalate twice at once on it
  await Promise.all([h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0'), h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0')]);
  await h.settle();
  // then the moment is at tier 1 only: the leads are asked, none skipped
  expect(h.app.store.moments.get(1)?.plan.tiers).toHaveLength(3);
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(h.app.store.reviews.decisions(1).filter((d) => d.action === 'escalate')).toHaveLength(1);
  expect(h.standIn.responses(`click-${PEOPLE.flagger}`).map((r) => String(r.body.text)).join()).toContain('already escalated to "leads"');
});

describe('a press from a card or DM of a tier the moment has left', () => {
  // cal is in comms (tier 0 of a crisis) and in the leads (tier 1)
  beforeEach(async () => {
    await h.close();
    h = await startHarness({ routingYaml: TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, `leads: { members: [${PEOPLE.lead}, ${PEOPLE.cal}] }`) });
    await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
    await h.settle();
  });

  async function timedOut(): Promise<void> {
    h.advance(10 * 60_000 + 1);
    h.app.scanner.sweep();
    await h.settle();
    expect(h.app.store.moments.get(1)?.tier).toBe(1);
  }

  test('an Approve meant for comms does not approve the moment as the leads\' decision, without legal', async () => {
    await timedOut();
    // when cal presses Approve on the tier-0 DM (value momentId:revision:tier)
    await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
    await h.settle();
    // then it is refused and cal is told the moment moved on; the same press on the tier-1 message counts
    expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
    expect(h.standIn.responses(`click-${PEOPLE.cal}`).map((r) => String(r.body.text)).join()).toContain('escalated to "leads"');
    await h.click(PEOPLE.cal, ACTION.approve, '1:1:1');
    await h.settle();
    expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  });

  test('Reject… pressed after the tier ran out, before any sweep, opens no form to fill in vain', async () => {
    h.advance(10 * 60_000 + 1);
    await h.click(PEOPLE.cal, ACTION.reject, '1:1:0');
    await h.settle();
    expect(h.standIn.openedViews()).toHaveLength(0);
    expect(h.standIn.responses(`click-${PEOPLE.cal}`).map((r) => String(r.body.text))).toEqual([OUT_OF_TIME]);
  });

  test('a Reject… form opened at tier 0 and sent after the escalation is refused in the form', async () => {
    await h.click(PEOPLE.cal, ACTION.reject, '1:1:0');
    await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 3000, 'the reject form');
    const metadata = String(h.standIn.openedViews()[0]?.view.private_metadata);
    await timedOut();

    const reason: ViewValues = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Legal has not seen it' } } };
    const answer = await h.submitView(PEOPLE.cal, VIEW.reject, reason, metadata);

    expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { [FIELD.reason.block]: expect.stringContaining('escalated to "leads"') } });
    expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  });
});

test('when the leads are only the flagger, Escalate is not offered, a forged press is refused, and the timeout expires the moment at once', async () => {
  // given the flagger is the only lead, the one escalation tier
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, `leads: { members: [${PEOPLE.flagger}] }`) });
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  // then neither the card nor ana's DM offers Escalate
  expect(cardBlocks()).not.toContain(ACTION.escalate);
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks)).not.toContain(ACTION.escalate);
  // when ana presses Escalate anyway (an old card, a forged press), then it is refused and the moment stays at tier 0
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text)).join()).toContain('Nobody it could be escalated to can decide');
  expect(h.app.store.moments.get(1)?.tier).toBe(0);
  // when tier 0 times out, then the moment expires now instead of waiting 30 more minutes at a tier of nobody
  h.advance(30 * 60_000);
  h.app.scanner.sweep();
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('expired');
  expect(h.app.store.deadlines.openFor(1)).toEqual([]);
});

test('a timeout escalating to leads that include the self-approving flagger pings the flagger once, with their review DM', async () => {
  // given self-approval, and the flagger is a lead
  await h.close();
  const routing = TEST_ROUTING.replace('  escalate_to: [leads]', '  escalate_to: [leads]\n  self_approval: true').replace(`leads: { members: [${PEOPLE.lead}] }`, `leads: { members: [${PEOPLE.lead}, ${PEOPLE.flagger}] }`);
  h = await startHarness({ routingYaml: routing });
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  const before = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).length;
  // when brand's time runs out
  h.advance(30 * 60_000);
  h.app.scanner.sweep();
  await h.settle();
  // then the flagger, now asked as a lead, gets that review DM alone, not also "No decision in time: escalated"
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  const dms = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).slice(before).map((m) => m.text);
  expect(dms).toHaveLength(1);
  expect(dms[0]).toContain('Escalated to you');
});

test('only the flagger can withdraw; a withdrawn moment closes for everyone', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.withdraw, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text)).join()).toContain('Only the person who flagged');

  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('withdrawn');
  expect(cardBlocks()).toContain('Withdrawn');
  expect(cardBlocks()).not.toContain(ACTION.approve);
  const anaDm = JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks);
  expect(anaDm).not.toContain(ACTION.approve);
  expect(h.app.store.deadlines.openFor(1)).toEqual([]);
});
