import { TEAM } from '../../src/sandbox/slack-requests';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('a reviewer removed from the role after the ping can no longer decide', async () => {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  expect(h.app.store.reviews.assignments(1).some((a) => a.userId === PEOPLE.leo)).toBe(true);

  // Leo leaves the legal user group; the directory's next refresh sees it.
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  await h.settle();

  expect(h.app.store.reviews.decisions(1)).toEqual([]);
  const told = h.standIn.responses(`click-${PEOPLE.leo}`).map((r) => String(r.body.text));
  expect(told.join()).toContain('not yours');
});

test('a reviewer removed from the role is not reminded of the moment: the reminder DM is skipped, the others still go', async () => {
  // given a crisis moment pinged to comms (cal) and legal (leo), then leo leaves the legal user group
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const dmsBefore = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo)).length;
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  // when halfway through the window the sweep reminds the undecided reviewers
  h.advance(5 * 60_000 + 1000);
  expect(h.app.scanner.sweep().applied).toBe(1);
  await h.settle();
  // then cal is reminded; leo gets nothing more, and the outbox says why
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.cal)).map((m) => m.blocks))).toContain('Reminder');
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo))).toHaveLength(dmsBefore);
  expect(h.app.store.outbox.stats().skipped).toBeGreaterThanOrEqual(1);
});

test('a reviewer who left one of their two roles approves for the one they hold: their approval never fills the other\'s seat', async () => {
  // given comms is cal and bea, legal's user group is leo and cal, and a crisis moment (comms 1 + legal 1) asks all three
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace(`comms: { members: [${PEOPLE.cal}] }`, `comms: { members: [${PEOPLE.cal}, ${PEOPLE.bea}] }`) });
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.cal]);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  // when cal leaves legal, then approves, and bea approves too (both for comms)
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  await h.click(PEOPLE.bea, ACTION.approve, '1:1');
  await h.settle();
  // then nobody in legal has approved, so the moment still waits for leo, and the card says so
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  const card = JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks);
  expect(card).toContain(`*legal* 0/1: <@${PEOPLE.leo}> ⏳`);
  // and leo's approval completes it
  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
});

test('Slack telling that a reviewer user group changed re-reads it at once: the removed reviewer is turned away before any regular refresh', async () => {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const readsBefore = h.standIn.callsTo('usergroups.users.list').length;

  // Leo leaves the legal user group, and Slack sends the event (no refresh is asked for by the test).
  h.standIn.setUsergroup('S0LEGAL', []);
  const answer = await h.event({ type: 'subteam_members_changed', subteam_id: 'S0LEGAL', team_id: TEAM.id, date_previous_update: 1, date_update: 2, removed_users: [PEOPLE.leo], removed_users_count: 1, event_ts: '2.000001' });
  expect(answer.status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('usergroups.users.list').length > readsBefore, 5000, 'legal read again');
  expect(h.app.directory.rolesOf(PEOPLE.leo).has('legal')).toBe(false);

  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  await h.settle();
  expect(h.app.store.reviews.decisions(1)).toEqual([]);
  expect(h.standIn.responses(`click-${PEOPLE.leo}`).map((r) => String(r.body.text)).join()).toContain('not yours');
});

test('a reviewer Slack says left the group is turned away at once, while the read of the group is still on its way', async () => {
  // given a crisis moment comms has approved, and Slack slow to list the legal group (400 ms)
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  h.standIn.setUsergroup('S0LEGAL', []);
  h.standIn.inject({ method: 'usergroups.users.list', times: 1, fault: { kind: 'slow', delayMs: 400 } });
  // when Slack says leo left legal, and leo presses Approve before the group's read is back
  const changed = await h.event({ type: 'subteam_members_changed', subteam_id: 'S0LEGAL', team_id: TEAM.id, date_previous_update: 1, date_update: 2, removed_users: [PEOPLE.leo], removed_users_count: 1, event_ts: '5.000001' });
  expect(changed.status).toBe(200);
  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  // then his press is turned away and the crisis still waits for legal, before and after the read comes back
  expect(h.app.store.reviews.decisions(1).filter((d) => d.userId === PEOPLE.leo)).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 600));
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  expect([...h.app.directory.rolesOf(PEOPLE.leo)]).toEqual([]);
  expect(h.standIn.responses(`click-${PEOPLE.leo}`).map((r) => String(r.body.text)).join()).toContain('no longer in the "legal" role');
});

test('a reviewer taken out of their user group drops off the awaited list of the open cards, and only those, and their DMs lose the buttons', async () => {
  // given two open crisis moments awaiting cal (comms) and leo (legal), and a third one already decided
  for (const title of ['Recall notice: "batch 42"', 'Outage statement #crisis', 'Recall notice: "batch 43"']) await h.command(PEOPLE.flagger, title);
  await h.settle();
  await h.click(PEOPLE.cal, ACTION.approve, '3:1');
  await h.click(PEOPLE.leo, ACTION.approve, '3:1');
  await h.settle();
  expect(h.app.store.moments.get(3)?.state.status).toBe('approved');
  const card = (id: number) => {
    const ts = h.app.store.moments.card(id)?.ts;
    return JSON.stringify(h.standIn.messages(CRISIS_CHANNEL).find((m) => m.ts === ts)?.blocks);
  };
  expect(card(1)).toContain(`<@${PEOPLE.leo}> ⏳`);
  const updatesBefore = h.standIn.callsTo('chat.update').length;
  // when Leo leaves the legal user group and Slack says so
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.event({ type: 'subteam_members_changed', subteam_id: 'S0LEGAL', team_id: TEAM.id, date_previous_update: 1, date_update: 2, removed_users: [PEOPLE.leo], removed_users_count: 1, event_ts: '4.000001' });
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.update').length >= updatesBefore + 4, 5000, 'the two open cards and their DMs to leo updated');
  await h.settle();
  // then both open cards no longer wait on leo (cal still is), and the decided card was left alone
  for (const id of [1, 2]) {
    expect(card(id)).not.toContain(`<@${PEOPLE.leo}>`);
    expect(card(id)).toContain(`<@${PEOPLE.cal}> ⏳`);
  }
  expect(card(3)).toContain(`<@${PEOPLE.leo}> ✅`);
  // and, legal having nobody left, the open cards say so and what happens next rather than wait in silence
  for (const id of [1, 2]) expect(card(id)).toContain('⚠️ Too few people left in *legal* to approve it: escalate it now, or it escalates when time is up.');
  expect(card(3)).not.toContain('⚠️');
  // and leo's DMs about the open ones say they are no longer his, with nothing to press; cal's are as they were
  const dms = (user: string) => h.standIn.messages(h.standIn.dmChannelFor(user)).map((m) => JSON.stringify(m.blocks));
  const leos = dms(PEOPLE.leo).filter((dm) => !dm.includes('approved'));
  expect(leos).toHaveLength(2);
  for (const dm of leos) {
    expect(dm).toContain('You are no longer in *legal*');
    expect(dm).not.toContain(ACTION.approve);
  }
  expect(dms(PEOPLE.cal).filter((dm) => dm.includes(ACTION.approve))).toHaveLength(2);
  expect(h.standIn.callsTo('chat.update')).toHaveLength(updatesBefore + 4);
});

test('a change to a user group the routing file does not name reads nothing from Slack', async () => {
  const readsBefore = h.standIn.callsTo('usergroups.users.list').length;
  const changed = (subteamId: string, eventTs: string) =>
    h.event({ type: 'subteam_members_changed', subteam_id: subteamId, team_id: TEAM.id, date_previous_update: 1, date_update: 2, added_users: [PEOPLE.leo], added_users_count: 1, event_ts: eventTs });

  // when an unrelated group changes, then legal's does (the second read is what the test waits for)
  expect((await changed('S0BOWLING', '3.000001')).status).toBe(200);
  expect((await changed('S0LEGAL', '3.000002')).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.callsTo('usergroups.users.list').length > readsBefore, 5000, 'the read for legal');
  await new Promise((resolve) => setTimeout(resolve, 200));

  // then only legal's change was read: one read, not two
  expect(h.standIn.callsTo('usergroups.users.list')).toHaveLength(readsBefore + 1);
});

test('the button value never grants anything: a forged moment id in the value is checked against the store', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.click(PEOPLE.outsider, ACTION.approve, '1:1');
  await h.click(PEOPLE.ana, ACTION.approve, '999:1');
  await h.settle();
  expect(h.app.store.reviews.decisions(1)).toEqual([]);
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text)).join()).toContain('no longer exists');
});

test('a reviewer removed from the role after opening the Reject form cannot reject with it', async () => {
  // given a crisis moment asking leo (legal, through the user group) and leo's Reject… form, opened while in legal
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const reason = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Not before legal signs off' } } };
  const metadata = JSON.stringify({ momentId: 1, revision: 1, tier: 0 });
  // when leo leaves the legal user group, and then submits the form
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  const answer = await h.submitView(PEOPLE.leo, VIEW.reject, reason, metadata);
  await h.settle();
  // then the form says it is no longer theirs, and the moment stays open with nothing recorded
  expect(JSON.parse(answer.text)).toMatchObject({ response_action: 'errors', errors: { [FIELD.reason.block]: expect.stringContaining('no longer in') } });
  expect(h.app.store.reviews.decisions(1)).toEqual([]);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
});
