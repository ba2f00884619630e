import { FIELD, VIEW } from '../../src/slack/ids';
import { flagFormValues } from '../helpers/flag-shortcut';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/** What a reviewer's lock screen shows of a moment flagged as urgent: the DM's top-level text, not its blocks. */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('a moment flagged Urgent in the form says so in the review DM notification, as its blocks do', async () => {
  // given the flag form submitted with Urgent chosen
  const values = flagFormValues('Rival outage joke', 'We never go dark', 'sports');
  values[FIELD.urgency.block] = { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'high' } } };
  await h.submitView(PEOPLE.flagger, VIEW.flag, values, JSON.stringify({ channel: 'C0GENERAL' }));
  await h.settle();

  // then the reviewer's DM says it in its blocks and in the text a lock screen shows, first
  const dm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0];
  expect(JSON.stringify(dm?.blocks)).toContain('Urgent');
  expect(dm?.text).toMatch(/^🔥 Urgent: Review needed as brand/);
});
