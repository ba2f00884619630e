/**
 * Link previews. A flagged message's video or image link is not embedded under the posts that carry it: Slack unfurls
 * media unless a post says unfurl_media: false, whatever unfurl_links says. Such a link would otherwise be embedded
 * under the card in the review channel, under every reviewer DM, and under the notes that name the moment.
 */
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('no post carrying the flagged media link asks Slack to unfurl it', async () => {
  // A message in #general, flagged with the reaction: its link is a video.
  const source = h.standIn.postAs(PEOPLE.flagger, 'C0GENERAL', 'New spot is live <https://www.youtube.com/watch?v=dQw4w9WgXcQ|watch> thoughts?');
  await h.event({
    type: 'reaction_added',
    user: PEOPLE.flagger,
    reaction: 'zap',
    item: { type: 'message', channel: 'C0GENERAL', ts: source.ts },
    item_user: PEOPLE.flagger,
    event_ts: (Date.now() / 1000).toFixed(6),
  });
  await h.standIn.waitFor(() => h.app.store.moments.get(1) !== undefined, 3000, 'the flagged moment');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();

  const posts = h.standIn
    .callsTo('chat.postMessage')
    .filter((c) => `${String(c.params.text)} ${JSON.stringify(c.params.blocks ?? [])}`.includes('youtube.com/watch'));
  // the card, ana's and bea's DMs, the source-thread notes, the flagger's approval DM ...
  expect(posts.length).toBeGreaterThanOrEqual(4);
  expect(posts.some((c) => c.params.channel === REVIEW_CHANNEL)).toBe(true);
  // The Web API client sends its arguments form-encoded: a false arrives as the string "false".
  for (const post of posts) {
    expect({ channel: post.params.channel, unfurl_links: String(post.params.unfurl_links), unfurl_media: String(post.params.unfurl_media) }).toEqual({
      channel: post.params.channel,
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
  }
});
