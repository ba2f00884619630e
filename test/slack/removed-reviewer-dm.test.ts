import type { OpenedView } from '../../src/sandbox/slack-stand-in';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/**
 * Someone taken out of a role is not to be shown the crises they were assigned any more (the Home and `/moment list`
 * drop them: src/store/moments.ts VISIBLE_OPEN, src/workflow/moment-view.ts waitingOn). Their old review DM must not
 * keep following the moment with each new revision's title and copy.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // legal is leo and bea; a crisis moment asks comms (cal) and legal (leo, bea)
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.bea]);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
});
afterEach(async () => {
  await h.close();
});

async function openModal(userId: string, action: string, triggerId: string): Promise<OpenedView> {
  const before = h.standIn.openedViews().length;
  await h.click(userId, action, '1:1', { triggerId });
  await h.standIn.waitFor(() => h.standIn.openedViews().length > before, 3000, `the modal of ${action}`);
  return h.standIn.openedViews().at(-1)!;
}

test('a reviewer taken out of legal does not see the next revision of the crisis in their old DM', async () => {
  expect(h.app.store.reviews.assignments(1).some((a) => a.userId === PEOPLE.leo && a.role === 'legal')).toBe(true);
  // given leo leaves the legal user group (moved team), and Greenlight has read it
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.bea]);
  await h.app.directory.refresh();
  // when comms asks for changes and the flagger posts a new revision with new words
  const ask = await openModal(PEOPLE.cal, ACTION.requestChanges, 'trigger.changes');
  const changes: ViewValues = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the plant' } } };
  await h.submitView(PEOPLE.cal, VIEW.requestChanges, changes, String(ask.view.private_metadata));
  await h.settle();
  const revise = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise');
  const values: ViewValues = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Plant 7 recall' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: 'Plant 7 in Ohio made the faulty batch' } },
  };
  await h.submitView(PEOPLE.flagger, VIEW.revise, values, String(revise.view.private_metadata));
  await h.settle();
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, state: { status: 'pending' } });
  // then leo's Home does not list it (as designed) ...
  await h.event({ type: 'app_home_opened', user: PEOPLE.leo, channel: 'DU0LEO', tab: 'home', event_ts: '9.1' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.leo) !== undefined, 5000, "leo's home");
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.leo))).not.toContain('Plant 7');
  // ... and neither does any message in his DM with Greenlight
  const leoDms = JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo)).map((m) => [m.text, m.blocks]));
  expect(leoDms).not.toContain('Plant 7');
  expect(leoDms).toContain('You are no longer in *legal*');
  // and once he is back in legal, his DM shows the moment whole again, with its buttons
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.bea]);
  await h.app.directory.refresh();
  await h.settle();
  const back = JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo)).map((m) => m.blocks));
  expect(back).toContain('Plant 7');
  expect(back).toContain(ACTION.approve);
});

async function changesThenRevision(by: string, value: string): Promise<void> {
  const ask = await openModalWith(by, ACTION.requestChanges, value, 'trigger.changes');
  const changes: ViewValues = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the plant' } } };
  await h.submitView(by, VIEW.requestChanges, changes, String(ask.view.private_metadata));
  await h.settle();
  const revise = await openModalWith(PEOPLE.flagger, ACTION.revise, value, 'trigger.revise');
  const values: ViewValues = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Plant 7 recall' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: 'Plant 7 in Ohio made the faulty batch' } },
  };
  await h.submitView(PEOPLE.flagger, VIEW.revise, values, String(revise.view.private_metadata));
  await h.settle();
}

const leoDms = () => JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo)).map((m) => [m.text, m.blocks]));

async function openModalWith(userId: string, action: string, value: string, triggerId: string): Promise<OpenedView> {
  const before = h.standIn.openedViews().length;
  await h.click(userId, action, value, { triggerId });
  await h.standIn.waitFor(() => h.standIn.openedViews().length > before, 3000, `the modal of ${action}`);
  return h.standIn.openedViews().at(-1)!;
}

test('the revision hidden from a removed reviewer while the moment was open is not shown to them when it ends', async () => {
  // given leo taken out of legal, and a revision 2 he was not shown
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.bea]);
  await h.app.directory.refresh();
  await changesThenRevision(PEOPLE.cal, '1:1');
  expect(leoDms()).not.toContain('Plant 7');
  // when the remaining reviewers approve revision 2
  await h.click(PEOPLE.cal, ACTION.approve, '1:2:0');
  await h.click(PEOPLE.bea, ACTION.approve, '1:2:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  // then leo's old DM says it ended, without the revision he was no longer entitled to read
  expect(leoDms()).not.toContain('Plant 7');
});

test('a removed reviewer left behind by an escalation is not shown the next revision either', async () => {
  // given leo taken out of legal, then the moment escalated to the leads
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.bea]);
  await h.app.directory.refresh();
  await h.click(PEOPLE.cal, ACTION.escalate, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  // when the lead asks for changes and the flagger posts revision 2
  await changesThenRevision(PEOPLE.lead, '1:1');
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, state: { status: 'pending' } });
  // then leo, out of legal, reads nothing of revision 2 in his DM
  expect(leoDms()).not.toContain('Plant 7');
});
