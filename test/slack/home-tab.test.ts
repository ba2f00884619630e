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

test('the Messages tab opening publishes nothing', async () => {
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'messages', event_ts: '1.1' });
  await h.settle();
  expect(h.standIn.callsTo('views.publish')).toHaveLength(0);
});
