import { runCommand } from '../../src/workflow/run-command';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/** A reminder queued for someone who has decided by the time it goes out is not sent. */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('a reviewer who approves after the reminder was queued is not told the moment "still needs your decision"; the one still awaited is', async () => {
  // given a crisis moment (comms: cal, legal: leo), both asked
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const before = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId)).length;
  const calBefore = before(PEOPLE.cal);
  const leoBefore = before(PEOPLE.leo);
  // when the reminder for both is queued, and cal approves before it is delivered (legal still open)
  // (in one turn of the event loop, so the worker cannot deliver the reminder in between)
  h.advance(5 * 60_000 + 1000);
  expect(h.app.scanner.sweep().applied).toBe(1);
  const approved = runCommand(h.app.store, 1, { kind: 'approve', actor: { userId: PEOPLE.cal, currentRoles: undefined } }, { userId: PEOPLE.cal, channel: undefined, responseUrl: undefined }, 'press:cal', h.now());
  expect(approved.kind).toBe('done');
  h.app.worker.kick();
  await h.settle();
  // then leo is reminded, cal is not, and the outbox says why
  const newDms = (userId: string, from: number) => h.standIn.messages(h.standIn.dmChannelFor(userId)).slice(from).map((m) => JSON.stringify(m.blocks));
  expect(newDms(PEOPLE.leo, leoBefore).filter((b) => b.includes('still needs your decision'))).toHaveLength(1);
  expect(newDms(PEOPLE.cal, calBefore).filter((b) => b.includes('still needs your decision'))).toEqual([]);
  expect(h.app.store.outbox.stats().skipped).toBeGreaterThanOrEqual(1);
});

/** A crisis moment whose flagger was asked for changes by leo, every notice of it delivered. */
async function changesAsked(): Promise<void> {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  const asked = runCommand(h.app.store, 1, { kind: 'request_changes', actor: { userId: PEOPLE.leo, currentRoles: undefined }, comment: 'Softer' }, { userId: PEOPLE.leo, channel: undefined, responseUrl: undefined }, 'press:leo', h.now());
  expect(asked.kind).toBe('done');
  h.app.worker.kick();
  await h.settle();
}

/** The flagger sends revision 2, recorded at once (no HTTP turn in between). */
function revise(): void {
  const content = { title: 'Recall notice', copy: 'We are voluntarily recalling batch 42', link: undefined, urgency: 'normal' as const };
  const revised = runCommand(h.app.store, 1, { kind: 'revise', actor: { userId: PEOPLE.flagger, currentRoles: undefined }, content, revision: 1 }, { userId: PEOPLE.flagger, channel: undefined, responseUrl: undefined }, 'form:flagger', h.now());
  expect(revised.kind).toBe('done');
}

const remindersTo = (channel: string, from: number) => h.standIn.messages(channel).slice(from).map((m) => m.text).filter((t) => t.includes('Reminder'));

test('a flagger who revises after their reminder was queued is not told the revision "is still due"', async () => {
  await changesAsked();
  const flaggerDm = h.standIn.dmChannelFor(PEOPLE.flagger);
  const before = h.standIn.messages(flaggerDm).length;
  // when the flagger's reminder is queued, and the flagger revises before it is delivered (in one turn of the loop)
  h.advance(5 * 60_000 + 1000);
  expect(h.app.scanner.sweep().applied).toBe(1);
  revise();
  h.app.worker.kick();
  await h.settle();
  // then no reminder reached the flagger, and the outbox says why
  expect(remindersTo(flaggerDm, before)).toEqual([]);
  expect(h.app.store.outbox.stats().skipped).toBeGreaterThanOrEqual(1);
});

test('a reminder whose first post failed unseen is not posted once the request was answered, and is looked for first', async () => {
  // given changes asked, and the flagger's reminder failing with a 503 that did not land
  await changesAsked();
  const flaggerDm = h.standIn.dmChannelFor(PEOPLE.flagger);
  const before = h.standIn.messages(flaggerDm).length;
  h.standIn.inject({ method: 'chat.postMessage', channel: flaggerDm, times: 1, fault: { kind: 'http_error', status: 503 } });
  h.advance(5 * 60_000 + 1000);
  expect(h.app.scanner.sweep().applied).toBe(1);
  h.app.worker.kick();
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.status === 503), 3000, 'the failed reminder');
  // when the flagger revises before the retry
  revise();
  h.advance(5 * 60_000);
  h.app.worker.kick();
  await h.settle();
  // then the retry looked for the earlier post, found none, and posted nothing
  expect(h.standIn.callsTo('conversations.history').length).toBeGreaterThan(0);
  expect(remindersTo(flaggerDm, before)).toEqual([]);
});

test('a reviewer reminder queued before a revision is not posted once the revision asked everyone anew', async () => {
  // given delivery held back (an outage, a backlog) while the crisis moment's reminder is queued for cal and leo
  await h.app.worker.stop();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  h.advance(5 * 60_000 + 1000);
  expect(h.app.scanner.sweep().applied).toBe(1);
  // and before it goes out, cal asks for changes and the flagger sends revision 2
  const asked = runCommand(h.app.store, 1, { kind: 'request_changes', actor: { userId: PEOPLE.cal, currentRoles: undefined }, comment: 'Softer' }, { userId: PEOPLE.cal, channel: undefined, responseUrl: undefined }, 'press:cal', h.now());
  expect(asked.kind).toBe('done');
  revise();
  // when delivery resumes
  h.app.worker.start();
  await h.settle();
  // then leo, asked about revision 2 just now, is not also "reminded" of it, nor sent the first review late
  const leoDm = h.standIn.dmChannelFor(PEOPLE.leo);
  expect(remindersTo(leoDm, 0)).toEqual([]);
  const posted = h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === leoDm);
  expect(posted.map((c) => String(c.params.text))).toEqual([expect.stringMatching(/^New revision to review as legal \(\d+ min left\): Recall notice$/)]);
  expect(JSON.stringify(posted[0]?.params.blocks)).toContain('posted revision 2');
});

test('a first review DM posted late, while changes are requested, has nothing to press and does not notify "Review needed"', async () => {
  // given delivery held back, the crisis moment flagged and cal asking for changes at once
  await h.app.worker.stop();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  const asked = runCommand(h.app.store, 1, { kind: 'request_changes', actor: { userId: PEOPLE.cal, currentRoles: undefined }, comment: 'Softer' }, { userId: PEOPLE.cal, channel: undefined, responseUrl: undefined }, 'press:cal', h.now());
  expect(asked.kind).toBe('done');
  // when delivery resumes
  h.app.worker.start();
  await h.settle();
  // then leo's first DM goes out as his record of the moment, with no buttons, and its notification says why
  const posted = h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === h.standIn.dmChannelFor(PEOPLE.leo));
  expect(posted).toHaveLength(1);
  expect(JSON.stringify(posted[0]?.params.blocks)).not.toContain('"actions"');
  expect(posted[0]?.params.text).toBe('Recall notice: changes requested, you will be asked again');
});
