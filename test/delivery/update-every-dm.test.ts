import { ACTION } from '../../src/slack/ids';
import type { StoredMessage } from '../../src/sandbox/slack-stand-in';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';
import { runCommand } from '../../src/workflow/run-command';
import { readOutbox } from './audit';

/**
 * DESIGN §7: when a moment ends, the reviewers' DMs are updated so nobody acts on a stale one. A reviewer can hold
 * several DMs about one moment (the review and each reminder; the review and the escalation, when they are in the
 * escalation tier too), and every one of them loses its buttons, whatever Slack does to one of the updates.
 */

const MINUTE = 60_000;
let h: Harness;
let logLines: string[];
beforeEach(async () => {
  logLines = [];
  h = await startHarness({ logLines });
});
afterEach(async () => {
  await h.close();
});

function hasButtons(message: StoredMessage): boolean {
  return message.blocks.some((b) => (b as { type?: string }).type === 'actions');
}

/** A recall moment for cal and leo, reminded at half time: leo holds the review DM and the reminder. */
async function remindedCrisisMoment(): Promise<{ leoDm: string; review: string; reminder: string }> {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  h.advance(5 * MINUTE + 1000);
  h.app.scanner.sweep();
  await h.settle();
  const leoDm = h.standIn.dmChannelFor(PEOPLE.leo);
  const [review, reminder] = h.standIn.messages(leoDm).map((m) => m.ts);
  expect(review).toBeDefined();
  expect(reminder).toBeDefined();
  return { leoDm, review: review!, reminder: reminder! };
}

async function approveCrisisMoment(): Promise<void> {
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
}

/** [ts, what Slack answered] of every chat.update in `channel`, in the order Slack got them: 'ok', a Slack error or the HTTP status. */
function updatesIn(channel: string): [string, string | number][] {
  return h.standIn
    .callsTo('chat.update')
    .filter((c) => c.params.channel === channel)
    .map((c) => {
      const answer = c.response as { ok?: boolean; error?: string } | undefined;
      return [String(c.params.ts), c.status !== 200 ? c.status : answer?.ok ? 'ok' : String(answer?.error)];
    });
}

function updateDmRowOf(userId: string) {
  return readOutbox(h.databasePath).find((r) => r.kind === 'update_dm' && r.payload.userId === userId);
}

test('a reminded reviewer has no DM left with live buttons once the moment is approved', async () => {
  // given leo holds the review DM and a reminder about a recall moment
  const { leoDm } = await remindedCrisisMoment();
  expect(h.standIn.messages(leoDm)).toHaveLength(2);
  expect(h.standIn.messages(leoDm).every(hasButtons)).toBe(true);
  // when cal and leo approve it
  await approveCrisisMoment();
  // then the card and both of leo's DMs have lost their buttons, each one saying the moment is over
  expect(hasButtons(h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)!)).toBe(false);
  const dms = h.standIn.messages(leoDm);
  expect(dms.filter(hasButtons).map((m) => m.ts)).toEqual([]);
  expect(dms.map((m) => JSON.stringify(m.blocks).includes('This moment is approved'))).toEqual([true, true]);
  // and one update_dm row per reviewer did it, sent on its first attempt
  expect(updateDmRowOf(PEOPLE.leo)).toMatchObject({ outcome: 'sent', attempts: 0, lastError: null });
});

test('a tier-0 reviewer who is also in the escalation tier has both DMs updated when the moment ends', async () => {
  // given ana reviews for brand and is also the leads tier
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace(`leads: { members: [${PEOPLE.lead}] }`, `leads: { members: [${PEOPLE.ana}] }`) });
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  // when bea escalates, ana gets a second DM; and ana, deciding alone at tier 1, approves
  await h.click(PEOPLE.bea, ACTION.escalate, '1:1:0');
  await h.settle();
  const anaDm = h.standIn.dmChannelFor(PEOPLE.ana);
  expect(h.standIn.messages(anaDm)).toHaveLength(2);
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  // then neither of ana's DMs offers a button any more, nor bea's
  expect(h.standIn.messages(anaDm).filter(hasButtons)).toEqual([]);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.bea)).filter(hasButtons)).toEqual([]);
});

test('a passing failure on one DM update does not hold back the others, and the failed one is retried', async () => {
  // given leo's two DMs, and Slack failing the next update in leo's DM channel once
  const { leoDm, review, reminder } = await remindedCrisisMoment();
  h.standIn.inject({ method: 'chat.update', channel: leoDm, times: 1, fault: { kind: 'http_error', status: 503 } });
  // when the moment is approved
  await approveCrisisMoment();
  // then the reminder was updated in the same attempt as the failed review DM, and the retry updated both
  expect(updatesIn(leoDm)).toEqual([
    [review, 503],
    [reminder, 'ok'],
    [review, 'ok'],
    [reminder, 'ok'],
  ]);
  expect(h.standIn.messages(leoDm).filter(hasButtons)).toEqual([]);
  expect(updateDmRowOf(PEOPLE.leo)).toMatchObject({ outcome: 'sent', attempts: 1 });
});

test('a DM Slack will no longer update is given up alone: the others lose their buttons and the row says which', async () => {
  // given leo's two DMs, and Slack refusing the review DM's update for good (as for a deleted message)
  const { leoDm, review, reminder } = await remindedCrisisMoment();
  h.standIn.inject({ method: 'chat.update', channel: leoDm, times: 1, fault: { kind: 'slack_error', error: 'message_not_found' } });
  // when the moment is approved
  await approveCrisisMoment();
  // then the reminder lost its buttons, the refused one was not tried again, and the row is sent with the refusal noted
  expect(updatesIn(leoDm)).toEqual([
    [review, 'message_not_found'],
    [reminder, 'ok'],
  ]);
  expect(h.standIn.messages(leoDm).find((m) => m.ts === reminder)).toMatchObject({ updates: 1 });
  expect(hasButtons(h.standIn.messages(leoDm).find((m) => m.ts === reminder)!)).toBe(false);
  const row = updateDmRowOf(PEOPLE.leo);
  expect(row).toMatchObject({ outcome: 'sent', attempts: 0, resultTs: reminder });
  expect(row?.lastError).toBe(`DM ${leoDm}/${review}: message_not_found`);
  expect(logLines.some((line) => line.includes('notice delivered in part') && line.includes('message_not_found'))).toBe(true);
});

test('when Slack refuses every DM of a reviewer for good, the row is given up once with the reason', async () => {
  // given leo's two DMs, both of which Slack will no longer update
  const { leoDm, review, reminder } = await remindedCrisisMoment();
  h.standIn.inject({ method: 'chat.update', channel: leoDm, times: 2, fault: { kind: 'slack_error', error: 'message_not_found' } });
  // when the moment is approved
  await approveCrisisMoment();
  // then each was tried once, and the row failed with Slack's reason, not retried
  expect(updatesIn(leoDm)).toEqual([
    [review, 'message_not_found'],
    [reminder, 'message_not_found'],
  ]);
  expect(updateDmRowOf(PEOPLE.leo)).toMatchObject({ outcome: 'failed', attempts: 0, lastError: 'message_not_found' });
  // and cal's DM, in its own row, was updated all the same
  expect(updateDmRowOf(PEOPLE.cal)).toMatchObject({ outcome: 'sent' });
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.cal)).filter(hasButtons)).toEqual([]);
});

test('a rate limit on one DM update stops the rest until Retry-After, then every DM is updated', async () => {
  // given leo's two DMs, and Slack answering 429 to the next update in leo's DM channel
  const { leoDm, review, reminder } = await remindedCrisisMoment();
  h.standIn.inject({ method: 'chat.update', channel: leoDm, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 1 } });
  // when the moment is approved
  await approveCrisisMoment();
  // then nothing more was tried in the paused second, and afterwards both DMs were updated
  expect(updatesIn(leoDm)).toEqual([
    [review, 429],
    [review, 'ok'],
    [reminder, 'ok'],
  ]);
  expect(h.standIn.messages(leoDm).filter(hasButtons)).toEqual([]);
  expect(updateDmRowOf(PEOPLE.leo)).toMatchObject({ outcome: 'sent', attempts: 1 });
});

test("after a revision, a reviewer's earlier DM says it was replaced, once, instead of saying a revision is due", async () => {
  // given the crisis moment DMed to cal and leo, and leo asking for changes
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const by = (userId: string) => ({ userId, channel: undefined, responseUrl: undefined });
  const askChanges = (key: string) =>
    expect(runCommand(h.app.store, 1, { kind: 'request_changes', actor: { userId: PEOPLE.leo, currentRoles: undefined }, comment: 'Softer' }, by(PEOPLE.leo), key, h.now()).kind).toBe('done');
  const revise = (revision: number) => {
    const content = { title: 'Recall notice', copy: `We are voluntarily recalling batch 42 (v${revision + 1})`, link: undefined, urgency: 'normal' as const };
    expect(runCommand(h.app.store, 1, { kind: 'revise', actor: { userId: PEOPLE.flagger, currentRoles: undefined }, content, revision }, by(PEOPLE.flagger), `form:${revision}`, h.now()).kind).toBe('done');
  };
  askChanges('press:1');
  h.app.worker.kick();
  await h.settle();
  const calDm = h.standIn.dmChannelFor(PEOPLE.cal);
  expect(JSON.stringify(h.standIn.messages(calDm)[0]?.blocks)).toContain('is revising it');
  // when the flagger sends revision 2
  revise(1);
  h.app.worker.kick();
  await h.settle();
  // then cal's first DM says revision 2 replaced it, with nothing to press and not the old copy; the new DM asks
  const [first, second] = h.standIn.messages(calDm);
  const firstBlocks = JSON.stringify(first?.blocks);
  expect(firstBlocks).toContain('posted revision 2 since this message, which no longer counts');
  expect(firstBlocks).not.toContain('is revising it');
  expect(firstBlocks).not.toContain(ACTION.approve);
  expect(firstBlocks).not.toContain('recalling batch 42');
  expect(first?.text).toBe('Recall notice: replaced by revision 2');
  expect(JSON.stringify(second?.blocks)).toContain('posted revision 2');
  // (the new DM was posted first, and the old one then told it was replaced: one lane per person; the new one, posted
  // as it should read, is not updated to the same words)
  const calls = () => h.standIn.calls.filter((c) => c.params.channel === calDm && (c.method === 'chat.update' || c.method === 'chat.postMessage'));
  expect(calls().slice(-2).map((c) => [c.method, c.params.ts])).toEqual([['chat.postMessage', undefined], ['chat.update', first?.ts]]);
  // and each later cycle of changes and revision updates each reviewer's live DM, not every DM they ever got
  const updatesPerCycle: number[] = [];
  for (let revision = 2; revision <= 4; revision += 1) {
    const before = h.standIn.callsTo('chat.update').filter((c) => String(c.params.channel).startsWith('D')).length;
    askChanges(`press:${revision}`);
    h.app.worker.kick();
    await h.settle();
    revise(revision);
    h.app.worker.kick();
    await h.settle();
    updatesPerCycle.push(h.standIn.callsTo('chat.update').filter((c) => String(c.params.channel).startsWith('D')).length - before);
  }
  expect(new Set(updatesPerCycle).size).toBe(1);
});
