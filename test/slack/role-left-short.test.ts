import { RECHECK_PEOPLE_MS } from '../../src/slack/directory';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { buttonValueOf } from '../helpers/forms';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/** A flagger whose moment loses the people a role needs hears it by DM, not only at the deadline. */

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** A crisis moment flagged, then legal emptied (leo leaves its user group); returns how many DMs the flagger had before. */
async function legalEmptiedAfterFlag(): Promise<number> {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const before = flaggerDms().length;
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  return before;
}

/** cal asks for changes on revision 1 of moment 1. */
async function askForChanges(): Promise<void> {
  const changes = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Say it is voluntary' } } };
  expect((await h.submitView(PEOPLE.cal, VIEW.requestChanges, changes, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }))).text).toBe('');
  await h.settle();
}

/** The flagger sends revision 2 of moment 1. */
async function sendRevision(): Promise<void> {
  const revision = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Recall notice' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: 'We are voluntarily recalling batch 42' } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
  expect((await h.submitView(PEOPLE.flagger, VIEW.revise, revision, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }))).text).toBe('');
  await h.settle();
}

function flaggerDms(): string[] {
  return h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
}

test('the flagger is told when nobody is left in legal to approve, and that it can only expire', async () => {
  // given crisis (comms 1 + legal 1) with no later tier, and legal is leo alone, through a user group
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('    decide_within: 10m\n', '    decide_within: 10m\n    escalate_to: []\n') });
  // when leo leaves legal
  const before = await legalEmptiedAfterFlag();
  // then the card says so, and the flagger hears it once by DM, with what to do
  expect(JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks)).toContain('Too few people left in *legal*');
  const told = flaggerDms().slice(before);
  expect(told).toEqual([expect.stringContaining('⚠️ Too few people are left in *legal* to approve *Recall notice*: it will expire when time is up: withdraw it and flag it again once the role has people.')]);
});

test('the flagger is told they can escalate when a later tier can take it', async () => {
  h = await startHarness();
  const before = await legalEmptiedAfterFlag();
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('you can escalate it now (on the card, or in my App Home), or it escalates when time is up.')]);
});

test('a warning still on its way once legal has people again is not sent', async () => {
  // given the flagger's DM channel refuses one post (the warning is retried in half a second)
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const before = flaggerDms().length;
  h.standIn.inject({ method: 'chat.postMessage', channel: h.standIn.dmChannelFor(PEOPLE.flagger), times: 1, fault: { kind: 'slack_error', error: 'internal_error' } });
  // when leo leaves legal, and comes back before the warning is retried
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.params.channel === h.standIn.dmChannelFor(PEOPLE.flagger)), 3000, 'the first try');
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.settle();
  // then the flagger is told nothing: legal can approve again
  expect(flaggerDms().slice(before)).toEqual([]);
});

test('a revision written while legal emptied is asked of too few people: the flagger hears it as they send it', async () => {
  // given a crisis moment whose comms reviewer asked for changes
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  await askForChanges();
  // when leo leaves legal while the flagger writes the revision (nothing to warn of yet: nobody can act until it comes)
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  const before = flaggerDms().length;
  await sendRevision();
  // then the flagger is told at once that legal has nobody left to approve revision 2
  expect(flaggerDms().slice(before).filter((text) => text.includes('Too few people are left in *legal*'))).toHaveLength(1);
});

test('the flagger is told once that comms was left short by someone leaving the company, however often Slack blips afterwards', async () => {
  h = await startHarness();
  // given a crisis moment waiting on cal (comms, the only member, listed by user ID) and leo (legal)
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  expect(h.onlyCard(CRISIS_CHANNEL)).toBeDefined();
  const shortNotes = () => h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).filter((m) => m.text.includes('Too few people are left in')).length;
  // when cal leaves the company and the hourly re-check finds him deactivated
  h.standIn.addUser({ id: PEOPLE.cal, name: 'cal', deleted: true });
  h.advance(RECHECK_PEOPLE_MS);
  await h.app.directory.refresh();
  await h.settle();
  expect(shortNotes()).toBe(1);
  // and Slack fails the next read's users.info once (cal, gone, is asked about at every read), then answers again
  h.standIn.inject({ method: 'users.info', times: 1, fault: { kind: 'slack_error', error: 'internal_error' } });
  h.advance(5 * 60_000);
  await h.app.directory.refresh();
  await h.settle();
  const calBackInComms = h.app.directory.membersByRole().get('comms')?.includes(PEOPLE.cal);
  h.advance(5 * 60_000);
  await h.app.directory.refresh();
  await h.settle();
  // then cal was never back in comms, and the flagger was told once
  expect(shortNotes()).toBe(1);
  expect(calBackInComms).toBe(false);
});

test('once legal has its people back, the flagger hears it can be approved, and the reviewer back in legal is pinged, not only edited', async () => {
  // given leo left legal after the flag, and the flagger was warned
  h = await startHarness();
  const before = await legalEmptiedAfterFlag();
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('Too few people are left in *legal*')]);
  const leoDm = h.standIn.dmChannelFor(PEOPLE.leo);
  const leoPosts = h.standIn.messages(leoDm).length;
  expect(JSON.stringify(h.standIn.messages(leoDm)[0]?.blocks)).toContain('You are no longer in *legal*');
  // when the user group is corrected: leo is back
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.settle();
  // then the flagger is told legal can approve again, with nothing to do
  expect(flaggerDms().slice(before + 1)).toEqual([
    expect.stringContaining('✅ *legal* has enough people again to approve *Recall notice*: it can be approved in time, nothing to do.'),
  ]);
  // and leo's review DM has its buttons back, and a new message pings him (an edit notifies nobody)
  const leos = h.standIn.messages(leoDm);
  expect(JSON.stringify(leos[0]?.blocks)).not.toContain('You are no longer in *legal*');
  expect(leos).toHaveLength(leoPosts + 1);
  expect(leos.at(-1)?.text).toContain('Reminder');
});

test('"legal has enough people again" is not sent once the flagger escalated the moment to the leads', async () => {
  // given leo left legal, the flagger was warned, and the next post to the flagger fails once (retried later)
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  expect(flaggerDms().at(-1)).toContain('you can escalate it now');
  h.standIn.inject({ method: 'chat.postMessage', channel: h.standIn.dmChannelFor(PEOPLE.flagger), times: 1, fault: { kind: 'slack_error', error: 'internal_error' } });
  const calls = h.standIn.callsTo('chat.postMessage').length;
  // when leo is back, and before the all-clear is retried the flagger escalates to the leads
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').slice(calls).some((c) => c.params.channel === h.standIn.dmChannelFor(PEOPLE.flagger)), 3000, 'the first try');
  await h.click(PEOPLE.flagger, ACTION.escalate, buttonValueOf(h.onlyCard(CRISIS_CHANNEL).blocks));
  await h.settle();
  // then the all-clear about legal is not sent: the leads decide now
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(flaggerDms().filter((text) => text.includes('enough people again'))).toEqual([]);
});

test('legal emptied and refilled twice, the second warning overtaken: "enough people again" once per warning seen', async () => {
  h = await startHarness();
  const before = await legalEmptiedAfterFlag();
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.settle();
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('Too few people'), expect.stringContaining('enough people again')]);
  // when legal empties again, the warning fails once, and leo is back before it is retried
  h.standIn.inject({ method: 'chat.postMessage', channel: h.standIn.dmChannelFor(PEOPLE.flagger), times: 1, fault: { kind: 'slack_error', error: 'internal_error' } });
  const calls = h.standIn.callsTo('chat.postMessage').length;
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').slice(calls).some((c) => c.params.channel === h.standIn.dmChannelFor(PEOPLE.flagger)), 3000, 'the first try');
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.settle();
  // then the flagger, who never saw the second warning, gets no second all-clear
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('Too few people'), expect.stringContaining('enough people again')]);
});

test('legal back while comms is still short: the flagger hears legal is back and comms is not, never "nothing to do"', async () => {
  // given a crisis moment (comms 1 + legal 1), leo taken out of legal (warned), then cal leaving the company (warned)
  h = await startHarness();
  const before = await legalEmptiedAfterFlag();
  h.standIn.addUser({ id: PEOPLE.cal, name: 'cal', deleted: true });
  h.advance(RECHECK_PEOPLE_MS);
  await h.app.directory.refresh();
  await h.settle();
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('Too few people are left in *legal*'), expect.stringContaining('Too few people are left in *comms*')]);
  // when leo is back in legal (comms still has nobody)
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.settle();
  // then the flagger hears legal is back and comms still cannot approve it, as the card says; nothing says "nothing to do"
  expect(JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks)).toContain('Too few people left in *comms*');
  expect(flaggerDms().slice(before + 2)).toEqual([expect.stringContaining('*legal* has enough people again to approve *Recall notice*, but *comms* still has too few: it cannot be approved in time yet.')]);
  // and once cal is back in comms, that it can be approved in time
  h.standIn.addUser({ id: PEOPLE.cal, name: 'cal' });
  h.advance(RECHECK_PEOPLE_MS);
  await h.app.directory.refresh();
  await h.settle();
  expect(flaggerDms().slice(before + 3)).toEqual([expect.stringContaining('*comms* has enough people again to approve *Recall notice*: it can be approved in time, nothing to do.')]);
});

test('a flagger told a role is short is not told so again when the role was back only until the all-clear could go out', async () => {
  // given the flagger warned that legal is short
  h = await startHarness();
  const before = await legalEmptiedAfterFlag();
  const flaggerDm = h.standIn.dmChannelFor(PEOPLE.flagger);
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('Too few people are left in *legal*')]);
  // when leo is back (the all-clear held up by a 429 on the flagger's DM) and out again before it can go
  h.standIn.inject({ method: 'chat.postMessage', channel: flaggerDm, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 2 } });
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await new Promise((resolve) => setTimeout(resolve, 300));
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  // then the flagger, whose last word was already that legal is short, is not told it a second time
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('Too few people are left in *legal*')]);
});

test('a flagger warned that legal is short hears it again for their revision, which is asked anew of too few people', async () => {
  // given a crisis moment, legal emptied (the flagger warned), then changes asked for by cal
  h = await startHarness();
  const before = await legalEmptiedAfterFlag();
  await askForChanges();
  // when the flagger sends revision 2
  await sendRevision();
  // then they are told legal is short for it too, once for each revision
  expect(flaggerDms().slice(before).filter((text) => text.includes('Too few people are left in *legal*'))).toHaveLength(2);
});

test('a flagger warned that legal was short at the first tier is warned again when legal empties at the tier it escalated to', async () => {
  // given crisis moments need two of legal, or else (escalated) one of legal; legal is leo and bea
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('require: { comms: 1, legal: 1 }\n    decide_within: 10m\n', 'require: { comms: 1, legal: 2 }\n    decide_within: 10m\n    escalate_to: [legal]\n') });
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.bea]);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const before = flaggerDms().length;
  // and bea left legal: too few for the first tier, and the flagger was told they can escalate
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo]);
  await h.app.directory.refresh();
  await h.settle();
  expect(flaggerDms().slice(before)).toEqual([expect.stringContaining('you can escalate it now')]);
  // when the flagger escalates it to legal (leo can decide alone), and then leo leaves legal too
  await h.click(PEOPLE.flagger, ACTION.escalate, buttonValueOf(h.onlyCard(CRISIS_CHANNEL).blocks));
  await h.settle();
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  await h.settle();
  // then the card says nobody is left to approve, and so is the flagger told: it will expire when time is up
  expect(JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks)).toContain('Too few people left in *legal*');
  expect(flaggerDms().slice(before).filter((text) => text.includes('Too few people are left in *legal*'))).toHaveLength(2);
});
