import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * The flag's confirmation waits for its card, which may wait for its channel's pace; reviewers' DMs do not. A moment
 * decided from a DM before its card is posted is confirmed after the decision: the confirmation says where it stands.
 */

let h: Harness;
beforeEach(async () => {
  // Greenlight paces posts at about one a second per channel, as Slack allows. Launches are reviewed by comms in the
  // review channel, the brand topics' channel.
  const routingYaml = TEST_ROUTING.replace('  - name: default', '  - name: launch\n    require: { comms: 1 }\n  - name: default');
  h = await startHarness({ postsPerSecondPerChannel: 1, routingYaml });
});
afterEach(async () => {
  await h.close();
});

test('a moment approved from the DMs before its card was posted is confirmed as approved, not as waiting for its reviewers', async () => {
  // given three moments flagged in a row into the review channel, two for brand and a launch for comms: the launch's
  // card waits two seconds for its turn, its DM to cal does not
  for (const [n, title] of ['One: first', 'Two: second', 'Three: third #launch'].entries()) {
    await h.command(PEOPLE.flagger, title, { responseUrl: h.standIn.responseUrl(`flag-${n + 1}`) });
  }
  // when cal approves the launch from his DM at once
  await h.standIn.waitFor(() => h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.cal)).length >= 1, 5000, 'the review DM to cal');
  await h.click(PEOPLE.cal, ACTION.approve, '3:1');
  expect(h.app.store.moments.get(3)?.state.status).toBe('approved');
  expect(h.app.store.moments.card(3)).toBeUndefined();
  await h.settle();
  // then the third's confirmation, sent once its card is posted, says it is approved, and by whom
  const third = h.standIn.responses('flag-3').map((r) => String(r.body.text));
  expect(third).toEqual([expect.stringContaining('See the card')]);
  expect(third[0]).toContain(`it has been approved since, by <@${PEOPLE.cal}>.`);
  expect(third[0]).not.toContain('reviewers have been pinged');
  // and the first, still open, says its reviewers have been pinged
  expect(h.standIn.responses('flag-1').map((r) => String(r.body.text))).toEqual([expect.stringContaining("reviewers have been pinged. To withdraw it, use the card or Greenlight's Home tab.")]);
});
