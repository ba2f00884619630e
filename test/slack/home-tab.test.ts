import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('opening the Home tab publishes what waits for the reviewer and what the flagger flagged', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.event({ type: 'app_home_opened', user: PEOPLE.flagger, channel: 'DU0FLAG', tab: 'home', event_ts: '1.2' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.flagger) !== undefined, 5000, 'the flagger home');
  const anaHome = JSON.stringify(h.standIn.homeView(PEOPLE.ana));
  expect(anaHome).toContain('Waiting for you');
  expect(anaHome).toContain('#1');
  expect(anaHome).toContain('Oreo');
  const flaggerHome = JSON.stringify(h.standIn.homeView(PEOPLE.flagger));
  expect(flaggerHome).toContain('Nothing needs your decision');
  expect(flaggerHome).toContain('Oreo');
});

test("a moment the reviewer already approved, or whose role another filled, no longer waits for them", async () => {
  // given a crisis moment (comms 1, legal 1) that comms approved, and a sports moment another brand reviewer approved
  await h.command(PEOPLE.flagger, 'Outage statement #crisis');
  await h.command(PEOPLE.flagger, 'Match day post #sports');
  await h.settle();
  await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
  await h.click(PEOPLE.bea, ACTION.approve, '2:1:0');
  await h.settle();
  // when comms, legal and the other brand reviewer open their Home
  for (const [user, ts] of [[PEOPLE.cal, '1.1'], [PEOPLE.leo, '1.2'], [PEOPLE.ana, '1.3']] as const) {
    await h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: ts });
  }
  await h.standIn.waitFor(() => [PEOPLE.cal, PEOPLE.leo, PEOPLE.ana].every((u) => h.standIn.homeView(u) !== undefined), 5000, 'three homes');
  // then only legal still has the crisis moment waiting; comms and brand have nothing
  const waiting = (user: string) => JSON.stringify(h.standIn.homeView(user));
  expect(waiting(PEOPLE.leo)).toContain('#1');
  for (const done of [PEOPLE.cal, PEOPLE.ana]) {
    expect(waiting(done)).toContain('Nothing needs your decision');
    expect(waiting(done)).not.toContain('#1');
  }
});

test('a reviewer taken out of the role after the ping no longer has the moment waiting in their Home', async () => {
  // given a crisis moment assigned to legal (leo), then leo leaves the legal user group and the directory reads it
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42" #crisis');
  await h.settle();
  expect(h.app.store.reviews.assignments(1).some((a) => a.userId === PEOPLE.leo && a.role === 'legal')).toBe(true);
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  // when leo and comms open their Home
  await h.event({ type: 'app_home_opened', user: PEOPLE.leo, channel: 'DU0LEO', tab: 'home', event_ts: '1.1' });
  await h.event({ type: 'app_home_opened', user: PEOPLE.cal, channel: 'DU0CAL', tab: 'home', event_ts: '1.2' });
  await h.standIn.waitFor(() => [PEOPLE.leo, PEOPLE.cal].every((u) => h.standIn.homeView(u) !== undefined), 5000, 'two homes');
  // then leo sees nothing waiting and not the title; comms, still in its group, has it
  const leo = JSON.stringify(h.standIn.homeView(PEOPLE.leo));
  expect(leo).toContain('Nothing needs your decision');
  expect(leo).not.toContain('Recall notice');
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.cal))).toContain('Recall notice');
});

test('the Home shows the team stats: the median time to a decision per topic over the last 30 days', async () => {
  // given a sports moment approved 90 s after it was flagged
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  h.advance(90_000);
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  // when someone else opens their Home
  await h.event({ type: 'app_home_opened', user: PEOPLE.bea, channel: 'DU0BEA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.bea) !== undefined, 5000, 'the home');
  // then under their own lists it shows the team stats, with the median per topic
  const home = JSON.stringify(h.standIn.homeView(PEOPLE.bea));
  expect(home).toContain('Waiting for you');
  expect(home).toContain('Team stats');
  expect(home).toContain('• sports: 1m 30s (1 of 1 decided)');
});

test('the Messages tab opening publishes nothing', async () => {
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'messages', event_ts: '1.1' });
  await h.settle();
  expect(h.standIn.callsTo('views.publish')).toHaveLength(0);
});
