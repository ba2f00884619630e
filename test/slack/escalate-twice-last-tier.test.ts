import { ACTION } from '../../src/slack/ids';
import { buttonValueOf } from '../helpers/forms';
import { PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * Escalate pressed twice (a double tap on a phone, or a second press before the card's update arrived) when the first
 * press reached the last tier: the second is refused, and its answer must not send the person looking for an Escalate
 * that the card, the DM and the Home no longer show.
 */
let h: Harness;
afterEach(async () => {
  await h.close();
});

const buttonsOf = (blocks: unknown) => JSON.stringify(blocks);

test("a second Escalate, after the first reached the last tier, is not told to escalate again from the card", async () => {
  // ana is in brand (tier 0) and in leads (tier 1, the last)
  h = await startHarness({ routingYaml: TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, `leads: { members: [${PEOPLE.lead}, ${PEOPLE.ana}] }`) });
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  const firstDm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0];
  const value = buttonValueOf(firstDm?.blocks);
  // when ana taps Escalate twice on her review DM
  await h.click(PEOPLE.ana, ACTION.escalate, value);
  await h.click(PEOPLE.ana, ACTION.escalate, value);
  // and the flagger presses the card's Escalate, not yet updated
  await h.click(PEOPLE.flagger, ACTION.escalate, value);
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  // then nothing they can see offers Escalate any more (leads is the last tier)
  expect(buttonsOf(h.onlyCard().blocks)).not.toContain(ACTION.escalate);
  expect(buttonsOf(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).at(-1)?.blocks)).not.toContain(ACTION.escalate);
  // and the answers to the second presses do not tell them to escalate from the card
  const answers = [...h.standIn.responses(`click-${PEOPLE.ana}`), ...h.standIn.responses(`click-${PEOPLE.flagger}`)].map((r) => String(r.body.text));
  expect(answers).toHaveLength(2);
  for (const answer of answers) {
    expect(answer).not.toMatch(/escalate from the latest card/i);
    expect(answer).toContain('who have been asked: they are the last it can go to.');
  }
  // and ana, a lead too, hears she is one of those who decide now; the flagger does not
  const [toAna, toFlagger] = [h.standIn.responses(`click-${PEOPLE.ana}`), h.standIn.responses(`click-${PEOPLE.flagger}`)].map((r) => String(r[0]?.body.text));
  expect(toAna).toContain('You are one of them: decide from your newest DM or the card.');
  expect(toFlagger).not.toContain('You are one of them');
});
