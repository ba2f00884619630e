import { ACTION } from '../../src/slack/ids';
import { runCommand } from '../../src/workflow/run-command';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/**
 * A DM replaced by a revision is told so once, and then left alone: but only once a newer DM asks the reviewer. Someone
 * out of their role when the revision came gets no new DM, so their old one keeps following the moment, and gives them
 * the buttons back once they return to the role.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const by = (userId: string) => ({ userId, channel: undefined, responseUrl: undefined });

test('a reviewer back in their role after a revision has a DM with buttons again', async () => {
  // given the crisis moment DMed to cal and leo (legal through S0LEGAL)
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const leoDm = h.standIn.dmChannelFor(PEOPLE.leo);
  const withButtons = () => h.standIn.messages(leoDm).filter((m) => JSON.stringify(m.blocks).includes(ACTION.approve));
  expect(withButtons()).toHaveLength(1);
  // leo is taken out of legal for a while
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  expect(withButtons()).toHaveLength(0);
  // cal asks for changes and the flagger posts revision 2 (leo is not DMed: he holds no role)
  expect(runCommand(h.app.store, 1, { kind: 'request_changes', actor: { userId: PEOPLE.cal, currentRoles: undefined }, comment: 'Softer' }, by(PEOPLE.cal), 'rc', h.now()).kind).toBe('done');
  const content = { title: 'Recall notice', copy: 'We are voluntarily recalling batch 42', link: undefined, urgency: 'normal' as const };
  expect(runCommand(h.app.store, 1, { kind: 'revise', actor: { userId: PEOPLE.flagger, currentRoles: undefined }, content, revision: 1 }, by(PEOPLE.flagger), 'rev', h.now()).kind).toBe('done');
  h.app.worker.kick();
  await h.settle();
  expect(h.standIn.messages(leoDm)).toHaveLength(1);
  // (his DM says why he has nothing to press: no newer DM was sent to replace it)
  expect(JSON.stringify(h.standIn.messages(leoDm)[0]?.blocks)).toContain('You are no longer in *legal*');
  // when leo is back in legal
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  h.app.worker.kick();
  await h.settle();
  // then the moment waits on him (the card says so), his DM offers the buttons to decide revision 2 again, and a
  // reminder (with them too) pings him: the edit notifies nobody
  expect(JSON.stringify(h.onlyCard('C0CRISIS').blocks)).toContain(`<@${PEOPLE.leo}> ⏳`);
  expect(withButtons()).toHaveLength(2);
  expect(h.standIn.messages(leoDm).at(-1)?.text).toContain('Reminder');
});
