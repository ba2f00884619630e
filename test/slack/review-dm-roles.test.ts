import { ACTION } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * A review DM names the roles as the card shows them: the roles someone in two is still awaited in, and the role an
 * approval fills once the seat matching moved it. The card is out of sight on a phone, so a DM that says otherwise is
 * what the reviewer believes.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

const dmOf = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

test('someone in two roles, one filled by another, is asked and reminded in the role still awaited', async () => {
  // given a crisis moment ({comms: 1, legal: 1}) where cal is in comms and legal and ana in comms too
  h = await startHarness({ routingYaml: TEST_ROUTING.replace(`comms: { members: [${PEOPLE.cal}] }`, `comms: { members: [${PEOPLE.cal}, ${PEOPLE.ana}] }`) });
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.cal]);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  expect(JSON.stringify(dmOf(PEOPLE.cal)[0]?.blocks)).toContain('needs your decision as *comms* and *legal*');
  // when ana approves for comms
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  // then cal's DM asks for legal alone, as the card lists cal
  const card = JSON.stringify(h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks);
  expect(card).toContain(`*comms* 1/1: <@${PEOPLE.ana}> ✅`);
  expect(JSON.stringify(dmOf(PEOPLE.cal)[0]?.blocks)).toContain('needs your decision as *legal*.');
  // and the reminder, halfway through the 10-minute window, says legal too, on the lock screen and in the message
  h.advance(5 * 60_000 + 1000);
  h.app.scanner.sweep();
  await h.settle();
  const reminder = dmOf(PEOPLE.cal).find((m) => m.text.startsWith('Reminder'));
  expect(reminder?.text).toContain('as legal');
  expect(reminder?.text).not.toContain('comms');
  expect(JSON.stringify(reminder?.blocks)).toContain('still needs your decision as *legal*.');
});

test("an approver whose approval the matching moved to another role has a DM naming the role the card shows", async () => {
  // given a crisis moment needing comms, legal and brand: cal in comms and legal, bea in comms, leo in legal, ana brand
  const yaml = TEST_ROUTING.replace(`comms: { members: [${PEOPLE.cal}] }`, `comms: { members: [${PEOPLE.cal}, ${PEOPLE.bea}] }`)
    .replace(`brand: { members: [${PEOPLE.ana}, bea@example.com] }`, `brand: { members: [${PEOPLE.ana}] }`)
    .replace('require: { comms: 1, legal: 1 }', 'require: { comms: 1, legal: 1, brand: 1 }');
  h = await startHarness({ routingYaml: yaml });
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.cal]);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  // when cal approves (seated in comms), then bea approves for comms, which moves cal's approval to legal
  await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
  await h.settle();
  expect(JSON.stringify(dmOf(PEOPLE.cal)[0]?.blocks)).toContain('You approved this as *comms*');
  await h.click(PEOPLE.bea, ACTION.approve, '1:1:0');
  await h.settle();
  // then the card shows bea in comms and cal in legal, and cal's DM says legal, not comms
  const card = JSON.stringify(h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks);
  expect(card).toContain(`*comms* 1/1: <@${PEOPLE.bea}> ✅`);
  expect(card).toContain(`*legal* 1/1: <@${PEOPLE.cal}> ✅`);
  expect(JSON.stringify(dmOf(PEOPLE.leo)[0]?.blocks)).toContain(`has the approvals it needs (<@${PEOPLE.cal}>)`);
  const calDm = JSON.stringify(dmOf(PEOPLE.cal)[0]?.blocks);
  expect(calDm).toContain('You approved this as *legal*');
  expect(calDm).not.toContain('as *comms*');
});
