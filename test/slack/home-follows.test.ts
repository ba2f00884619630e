import type { OpenedView } from '../../src/sandbox/slack-stand-in';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { LIVE_HOME_MS } from '../../src/workflow/live-homes';
import { moveDeadlinesBack } from '../../src/workflow/move-deadlines-back';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * An open App Home follows what it shows: a due time the clock's step moved back, the order moments were flagged in
 * across the step, and a moment decided by someone else while its viewer filled a form opened there.
 */

let h: Harness;
beforeEach(async () => {
  // sports moments get three hours to decide, so one outlives a Home opened more than an hour ago
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('  - name: sports\n    require: { brand: 1 }', '  - name: sports\n    require: { brand: 1 }\n    decide_within: 3h') });
});
afterEach(async () => {
  await h.close();
});

const HOUR = 60 * 60_000;
const token = (ms: number) => `<!date^${Math.floor(ms / 1000)}^`;
const home = (user: string): string => JSON.stringify(h.standIn.homeView(user) ?? {});
const publishesTo = (user: string): number => h.standIn.callsTo('views.publish').filter((c) => c.params.user_id === user).length;
async function openHome(user: string, ts: string): Promise<void> {
  const before = publishesTo(user);
  await h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: ts });
  await h.standIn.waitFor(() => publishesTo(user) > before, 5000, 'the home');
}
/** The wall clock set back (NTP): what the scanner's clock watch does on finding it. */
function clockSetBack(ms: number): void {
  h.advance(-ms);
  moveDeadlinesBack(h.app.store, ms, h.now());
  h.app.worker.kick();
}

describe('after the clock is set back an hour', () => {
  test("the flagger's Home lists the moment they withdrew just now above one withdrawn before the step", async () => {
    // given a moment flagged and withdrawn on a clock running an hour fast, and 5 minutes later the clock set back
    await h.command(PEOPLE.flagger, 'Before the step: a #sports');
    await h.settle();
    await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1');
    await h.settle();
    h.advance(5 * 60_000);
    clockSetBack(HOUR);
    // when 5 minutes after that the flagger flags another and withdraws it, then opens their Home
    h.advance(5 * 60_000);
    await h.command(PEOPLE.flagger, 'After the step: b #sports');
    await h.settle();
    await h.click(PEOPLE.flagger, ACTION.withdraw, '2:1');
    await h.settle();
    await openHome(PEOPLE.flagger, '1.1');
    // then the newest (#2) comes first, as for open moments
    const shown = home(PEOPLE.flagger);
    expect(shown.indexOf('#2 ')).toBeGreaterThan(-1);
    expect(shown.indexOf('#2 ')).toBeLessThan(shown.indexOf('#1 '));
  });

  test("a reviewer's open Home shows the crisis's due time moved back with the card's", async () => {
    // given a crisis (10 minutes to decide) and the comms reviewer's Home open on it, on a clock running an hour fast
    await h.command(PEOPLE.flagger, 'Outage statement #crisis');
    await h.settle();
    await openHome(PEOPLE.cal, '1.1');
    const dueBefore = h.app.store.moments.get(1)?.dueAt ?? 0;
    expect(home(PEOPLE.cal)).toContain(token(dueBefore));
    // when NTP sets the clock back an hour and the scanner moves the deadlines back
    clockSetBack(HOUR);
    await h.settle();
    const dueNow = h.app.store.moments.get(1)?.dueAt ?? 0;
    expect(dueNow).toBe(dueBefore - HOUR);
    // then the card and cal's review DM say the real due time...
    expect(JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks)).toContain(token(dueNow));
    expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.cal)).map((m) => m.blocks))).toContain(token(dueNow));
    // ...and so does the Home he decides from (an hour later, he would think he had 70 minutes, not 10)
    expect(home(PEOPLE.cal)).toContain(token(dueNow));
    expect(home(PEOPLE.cal)).not.toContain(token(dueBefore));
  });

  test("a flagger's open Home shows the revision due time moved back", async () => {
    // given a sports moment sent back for changes, and the flagger's Home open on its "revision due"
    await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
    await h.settle();
    await h.click(PEOPLE.ana, ACTION.requestChanges, '1:1:0', { triggerId: 'trigger.changes' });
    await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 3000, 'the request modal');
    const ask = h.standIn.openedViews()[0] as OpenedView;
    await h.submitView(PEOPLE.ana, VIEW.requestChanges, { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the team' } } }, String(ask.view.private_metadata));
    await h.settle();
    await openHome(PEOPLE.flagger, '1.1');
    const dueBefore = h.app.store.moments.get(1)?.dueAt ?? 0;
    expect(home(PEOPLE.flagger)).toContain('revision due');
    expect(home(PEOPLE.flagger)).toContain(token(dueBefore));
    // when the clock is set back an hour
    clockSetBack(HOUR);
    await h.settle();
    const dueNow = h.app.store.moments.get(1)?.dueAt ?? 0;
    // then the Home says the revision due time as the request for changes does
    expect(home(PEOPLE.flagger)).toContain(token(dueNow));
  });
});

test('a Reject… form from App Home refused because another reviewer approved meanwhile publishes the Home again', async () => {
  // given a sports moment in ana's Home (opened on her desktop, left open over an hour)
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => home(PEOPLE.ana).includes('waiting:1'), 5000, "ana's Home");
  h.advance(LIVE_HOME_MS + 60_000);
  // when she presses Reject… there and, while she writes her reason, bea approves it on the card
  const before = publishesTo(PEOPLE.ana);
  await h.click(PEOPLE.ana, ACTION.reject, '1:1:0', { inHome: true, triggerId: 'trigger.reject.home' });
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 3000, 'the reason form');
  const form = h.standIn.openedViews()[0] as OpenedView;
  await h.click(PEOPLE.bea, ACTION.approve, '1:1:0');
  await h.settle();
  const values = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Off brand' } } };
  const submitted = await h.submitView(PEOPLE.ana, VIEW.reject, values, String(form.view.private_metadata));
  // then the form says who decided first...
  expect(submitted.text).toContain('Already approved');
  await h.settle();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await h.settle();
  // ...and the Home she goes back to no longer offers Approve / Reject… on a moment that is decided
  expect(publishesTo(PEOPLE.ana)).toBeGreaterThan(before);
  expect(home(PEOPLE.ana)).toContain('Nothing needs your decision');
  expect(home(PEOPLE.ana)).not.toContain('waiting:1');
});
