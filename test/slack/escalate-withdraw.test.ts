import { ACTION } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

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
    expect(dm).toContain('escalated to tier 1');
    expect(dm).not.toContain(ACTION.approve);
  }
  // At the last tier there is nothing higher: the button is gone and a forged press is refused.
  expect(cardBlocks()).not.toContain(ACTION.escalate);
  await h.click(PEOPLE.lead, ACTION.escalate, '1:1');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.lead}`).map((r) => String(r.body.text)).join()).toContain('no higher tier');
});

test('two Escalate presses from the same tier-0 card move the moment one tier, and the second presser is told', async () => {
  // given crisis moments escalate twice (tiers: comms and legal, then the leads, then brand), and one flagged
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('    decide_within: 10m', '    decide_within: 10m\n    escalate_to: [leads, brand]') });
  await h.command(PEOPLE.flagger, 'Outage statement #crisis');
  await h.settle();
  const value = h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks;
  expect(JSON.stringify(value)).toContain('"1:1:0"');
  // when the flagger presses Escalate twice at once on it
  await Promise.all([h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0'), h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0')]);
  await h.settle();
  // then the moment is at tier 1 only: the leads are asked, none skipped
  expect(h.app.store.moments.get(1)?.plan.tiers).toHaveLength(3);
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(h.app.store.reviews.decisions(1).filter((d) => d.action === 'escalate')).toHaveLength(1);
  expect(h.standIn.responses(`click-${PEOPLE.flagger}`).map((r) => String(r.body.text)).join()).toContain('already at tier 1');
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
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text)).join()).toContain('Nobody at the next tier can decide');
  expect(h.app.store.moments.get(1)?.tier).toBe(0);
  // when tier 0 times out, then the moment expires now instead of waiting 30 more minutes at a tier of nobody
  h.advance(30 * 60_000);
  h.app.scanner.sweep();
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('expired');
  expect(h.app.store.deadlines.openFor(1)).toEqual([]);
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
