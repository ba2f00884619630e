import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { audit } from './audit';

let h: Harness;
afterEach(async () => {
  h.standIn.clearFaults();
  await h.close();
});
const dmsTo = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

test('while chat.getPermalink fails, an approved moment still updates its card and tells its flagger', async () => {
  h = await startHarness();
  h.standIn.inject({ method: 'chat.getPermalink', fault: { kind: 'slack_error', error: 'internal_error' } });
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
  await h.standIn.waitFor(() => dmsTo(PEOPLE.ana).length === 1, 5000, 'the first DM');
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await h.standIn.waitFor(() => dmsTo(PEOPLE.flagger).length > 0 && !JSON.stringify(h.onlyCard(REVIEW_CHANNEL).blocks).includes(ACTION.approve), 5000, 'the outcome');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  expect(JSON.stringify(h.onlyCard(REVIEW_CHANNEL).blocks)).not.toContain(ACTION.approve);
  expect(dmsTo(PEOPLE.flagger).map((m) => m.text)).toEqual([expect.stringContaining('approved')]);
}, 20_000);

test('a deleted card whose link was never learnt: the flagger is still told the outcome', async () => {
  h = await startHarness();
  // one blip at the card's post, then the card deleted: Slack answers message_not_found for its link
  h.standIn.inject({ method: 'chat.getPermalink', times: 1, fault: { kind: 'slack_error', error: 'internal_error' } });
  h.standIn.inject({ method: 'chat.getPermalink', fault: { kind: 'slack_error', error: 'message_not_found' } });
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
  await h.settle();
  expect((await h.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await h.settle();
  const notify = audit(h.standIn, h.databasePath).rows.find((r) => r.kind === 'notify_flagger');
  expect(notify).toMatchObject({ outcome: 'sent' });
});
