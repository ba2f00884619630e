import Database from 'better-sqlite3';
import { ACTION } from '../../src/slack/ids';
import { PRUNE_STRETCH } from '../../src/store/outbox';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const MINUTE = 60_000;

async function flagCrisis(): Promise<void> {
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42" ');
  await h.settle();
}

test('halfway through the window the undecided reviewers are reminded by DM, once', async () => {
  await flagCrisis();
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  h.advance(5 * MINUTE + 1000);
  expect(h.app.scanner.sweep().applied).toBe(1);
  expect(h.app.scanner.sweep().applied).toBe(0);
  await h.settle();
  const leoDms = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.leo));
  expect(leoDms.map((m) => JSON.stringify(m.blocks)).join()).toContain('Reminder');
  const calDms = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.cal));
  expect(calDms).toHaveLength(1);
});

test('when the tier times out the moment escalates to the leads, and one lead decides alone', async () => {
  await flagCrisis();
  h.advance(10 * MINUTE + 1000);
  h.app.scanner.sweep();
  await h.settle();
  const moment = h.app.store.moments.get(1)!;
  expect(moment.tier).toBe(1);
  expect(moment.state.status).toBe('pending');
  const leadDm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.lead));
  expect(JSON.stringify(leadDm[0]?.blocks)).toContain('escalated to you');
  const card = h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)!;
  expect(JSON.stringify(card.blocks)).toContain('*Escalated* to *leads*');

  // A tier-0 reviewer can no longer decide; the lead can, alone.
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.click(PEOPLE.lead, ACTION.approve, '1:1');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  expect(h.app.store.reviews.decisions(1).map((d) => [d.action, d.userId ?? 'clock'])).toEqual([
    ['timeout', 'clock'],
    ['approve', PEOPLE.lead],
  ]);
});

test('after the last tier times out the moment expires and everyone is told', async () => {
  await flagCrisis();
  h.advance(10 * MINUTE + 1000);
  h.app.scanner.sweep();
  h.advance(10 * MINUTE + 1000);
  h.app.scanner.sweep();
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('expired');
  const flaggerDm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger));
  expect(flaggerDm.map((m) => m.text).join('\n')).toContain('expired');
  expect(h.app.store.deadlines.openFor(1)).toEqual([]);
});

test('a moment that expires after one reviewer approved says it was not approved in time, not that nobody decided', async () => {
  // given a crisis topic that escalates to nobody, and comms' cal approved
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('    decide_within: 10m', '    decide_within: 10m\n    escalate_to: []') });
  await flagCrisis();
  await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
  await h.settle();
  // when legal never answers and the window runs out
  h.advance(10 * MINUTE + 1000);
  h.app.scanner.sweep();
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('expired');
  // then the card shows cal's approval above an outcome that does not deny it, and so do the thread and the flagger's DM
  const card = JSON.stringify(h.standIn.messages(CRISIS_CHANNEL).find((m) => m.threadTs === undefined)?.blocks);
  expect(card).toContain(`*comms* 1/1: <@${PEOPLE.cal}> ✅`);
  expect(card).toContain('*Expired*: not approved in time');
  const told = [...h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)), ...h.standIn.messages(CRISIS_CHANNEL)].map((m) => m.text).join('\n');
  expect(told).toContain('expired: it was not approved in time');
  expect(told).not.toContain('nobody decided');
  // and cal, pressing their old DM, is told the same
  await h.click(PEOPLE.cal, ACTION.reject, '1:1:0');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.cal}`).map((r) => String(r.body.text))).toEqual(['This moment expired before it was approved. Nothing more to decide.']);
});

test('what each deadline did is logged by moment: reminded, escalated from one tier to the next, expired', async () => {
  // given a scanner logging to lines the test reads, and a crisis moment (comms + legal, then the leads)
  await h.close();
  const lines: string[] = [];
  h = await startHarness({ logLines: lines });
  await flagCrisis();
  // when its reminder, its timeout and then the leads' timeout fall due
  for (const wait of [5 * MINUTE + 1000, 5 * MINUTE, 10 * MINUTE + 1000]) {
    h.advance(wait);
    h.app.scanner.sweep();
  }
  // then each is one line naming the moment and what happened to it
  const applied = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'deadline applied');
  expect(applied.map(({ momentId, deadline, did, reminded, fromTier, toTier }) => ({ momentId, deadline, did, reminded, fromTier, toTier }))).toEqual([
    { momentId: 1, deadline: 'remind', did: 'reminded reviewers', reminded: 2, fromTier: undefined, toTier: undefined },
    { momentId: 1, deadline: 'timeout', did: 'escalated', reminded: undefined, fromTier: 0, toTier: 1 },
    { momentId: 1, deadline: 'timeout', did: 'expired', reminded: undefined, fromTier: undefined, toTier: undefined },
  ]);
});

test('a deadline that keeps failing is tried and logged when it starts and then once a minute, not on every sweep', async () => {
  // given a crisis moment whose stored plan became unreadable, and a scanner logging to lines the test reads
  await h.close();
  const lines: string[] = [];
  h = await startHarness({ logLines: lines });
  await flagCrisis();
  const db = new Database(h.databasePath);
  db.prepare("UPDATE moments SET plan = 'not a plan' WHERE id = 1").run();
  db.close();
  // when its deadlines are due and the scanner sweeps every 5 s for a minute and a half
  h.advance(10 * MINUTE);
  for (let i = 0; i < 18; i += 1) {
    h.app.scanner.sweep();
    h.advance(5000);
  }
  // then each of its two deadlines was tried and reported twice, at the start and a minute on, with nothing held
  const failures = lines.filter((line) => line.includes('deadline failed')).map((line) => JSON.parse(line) as { deadlineId: number; heldRepeats: number });
  expect(failures.map((f) => f.heldRepeats)).toEqual([0, 0, 0, 0]);
  expect(new Set(failures.map((f) => f.deadlineId)).size).toBe(2);
});

test('a week-old outbox is forgotten a stretch of rows per sweep, not in one long delete, and newer rows stay', async () => {
  // given 4,100 delivered rows from a week ago, then one from today
  const notices = Array.from({ length: 4100 }, () => ({ kind: 'ephemeral' as const, userId: PEOPLE.ana, channel: 'C0OLD', text: 'old' }));
  h.app.store.transaction(() => {
    h.app.store.outbox.enqueue(undefined, notices, h.now());
    for (let id = 1; id <= notices.length; id += 1) h.app.store.outbox.markSent(id, h.now());
  });
  h.advance(8 * 24 * 60 * MINUTE);
  h.app.store.transaction(() => {
    h.app.store.outbox.enqueue(undefined, [notices[0]!], h.now());
    h.app.store.outbox.markSent(notices.length + 1, h.now());
  });
  // when the scanner sweeps, then each sweep forgets one stretch of rows until the old ones are gone
  const sent = () => h.app.store.outbox.stats().sent;
  h.app.scanner.sweep();
  expect(sent()).toBe(4101 - PRUNE_STRETCH);
  h.app.scanner.sweep();
  expect(sent()).toBe(4101 - 2 * PRUNE_STRETCH);
  h.app.scanner.sweep();
  expect(sent()).toBe(1);
  h.app.scanner.sweep();
  expect(sent()).toBe(1);
});

test('a prune that fails is logged and left for the next one; the sweep still applies its deadlines', async () => {
  // given a crisis moment whose reminder is due, an outbox row delivered two weeks ago, and an outbox refusing deletes
  await h.close();
  const lines: string[] = [];
  h = await startHarness({ logLines: lines });
  await flagCrisis();
  h.advance(5 * MINUTE + 1000);
  const db = new Database(h.databasePath);
  const old = h.now() - 14 * 24 * 60 * MINUTE;
  db.prepare("INSERT INTO outbox (kind, payload, next_attempt_at, created_at, done_at, outcome) VALUES ('ephemeral', '{}', ?, ?, ?, 'sent')").run(old, old, old);
  db.exec("CREATE TRIGGER refuse_prune BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  db.close();
  const failures = () => lines.filter((l) => l.includes('forgetting old rows failed'));
  // when the scanner sweeps, then the reminder is applied and the failure logged
  expect(h.app.scanner.sweep().applied).toBe(1);
  expect(failures()).toHaveLength(1);
  expect(failures()[0]).toContain('disk says no');
  // and the next sweep does not prune again (nor log it again): the next prune is in ten minutes
  h.advance(5000);
  h.app.scanner.sweep();
  expect(failures()).toHaveLength(1);
});
