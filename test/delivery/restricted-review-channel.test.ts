import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/** A review channel that lets no app post (read-only, or a workspace policy): the operator hears where, the flagger what. */

let h: Harness;
let lines: string[];
beforeEach(async () => {
  lines = [];
  h = await startHarness({ logLines: lines });
});
afterEach(async () => {
  await h.close();
});

test.each(['restricted_action_read_only_channel', 'restricted_action'])(
  'a card refused with %s names the channel and the fix to the operator, and the flagger is not told to invite Greenlight',
  async (error) => {
    // given Slack refuses every post to the review channel
    h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, fault: { kind: 'slack_error', error } });
    // when a moment is flagged
    expect((await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark')).status).toBe(200);
    await h.settle();
    // then the log says where the card was going, and what to change
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.find((l) => l.msg === 'notice given up' && l.notice === 'post_card')).toMatchObject({
      error,
      to: `channel:${REVIEW_CHANNEL}`,
      fix: expect.stringContaining('posting permissions'),
    });
    // and the flagger hears the card could not be posted, with advice that fits
    const told = h.standIn.responses(`cmd-${PEOPLE.flagger}`).map((r) => String(r.body.text));
    expect(told).toEqual([expect.stringContaining('could not post the card')]);
    expect(told[0]).toContain('does not let me post');
    expect(told[0]).not.toContain('/invite');
  },
);

test('a card given up for an error with no known fix still says where it was going', async () => {
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, fault: { kind: 'slack_error', error: 'invalid_blocks' } });
  expect((await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark')).status).toBe(200);
  await h.settle();
  const givenUp = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.msg === 'notice given up' && l.notice === 'post_card');
  expect(givenUp).toMatchObject({ error: 'invalid_blocks', to: `channel:${REVIEW_CHANNEL}` });
  expect(givenUp).not.toHaveProperty('fix');
  expect(h.standIn.responses(`cmd-${PEOPLE.flagger}`).map((r) => String(r.body.text))).toEqual([expect.stringContaining('can see why in its log')]);
});
