import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/**
 * What a flag pings. The card's first post is a new message, and a mention (`<@U…>`) in a new message notifies that
 * person; each reviewer already has a DM for the flag, and the flagger just flagged it. So the first post names nobody,
 * and the update right after it (an edit notifies nobody) names the flagger and the reviewers.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** The people a call mentions, in its text and blocks. */
function mentionedBy(call: { params: Record<string, unknown> }): string[] {
  const all = `${String(call.params.text ?? '')} ${JSON.stringify(call.params.blocks ?? [])}`;
  return [...new Set(Array.from(all.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g), (m) => m[1] ?? ''))];
}

function cardPost(channel: string) {
  const posts = h.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === undefined);
  expect(posts).toHaveLength(1);
  return posts[0]!;
}

test('the card is posted naming nobody, then updated to name the flagger and the reviewers, each of whom has their DM', async () => {
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Oreo: "You can still dunk in the dark" #sports');
  await h.settle();
  // each brand reviewer has their review DM, a ping of its own
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.bea))).toHaveLength(1);
  // the card's post pings nobody, and says how many were asked
  const post = cardPost(REVIEW_CHANNEL);
  expect(mentionedBy(post)).toEqual([]);
  expect(JSON.stringify(post.params.blocks)).toContain('*brand* 0/1: _2 asked by DM_');
  // the card as it reads now names them all
  const card = h.onlyCard(REVIEW_CHANNEL);
  expect(card.updates).toBe(1);
  const shown = JSON.stringify(card.blocks);
  for (const person of [PEOPLE.flagger, PEOPLE.ana, PEOPLE.bea]) expect(shown).toContain(`<@${person}>`);
});

test('a role that is a big user group: the card post does not mention its members in the channel', async () => {
  h = await startHarness();
  const members = Array.from({ length: 300 }, (_, i) => `U0LG${String(i).padStart(4, '0')}`);
  for (const id of members) h.standIn.addUser({ id, name: id.toLowerCase() });
  h.standIn.setUsergroup('S0LEGAL', members);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
  // every member got their own review DM for this flag
  const dmed = new Set(h.standIn.callsTo('chat.postMessage').map((c) => String(c.params.channel)));
  expect(members.filter((m) => dmed.has(h.standIn.dmChannelFor(m)))).toHaveLength(300);
  // and the card's post, a channel message, mentions none of them
  expect(mentionedBy(cardPost(CRISIS_CHANNEL))).toEqual([]);
});
