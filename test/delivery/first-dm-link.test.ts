import { PEOPLE, REVIEW_CHANNEL, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * A reviewer's first DM links the card when the card is being posted alongside it: the DM waits for that post (a
 * moment) rather than go out without the way to the card. It never waits for a card still queued behind others in its
 * channel: a ping is not held back a second a card.
 */

let h: Harness;
afterEach(async () => {
  await h.close();
});

const dmsTo = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

test('the first review DMs of a flag link its card', async () => {
  // given a flag whose card's channel is free
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
  await h.settle();
  // then each reviewer's first DM links the card (nothing re-rendered it: it was posted so)
  const card = h.onlyCard(REVIEW_CHANNEL);
  for (const reviewer of [PEOPLE.ana, PEOPLE.bea]) {
    const [dm] = dmsTo(reviewer);
    expect(dm?.updates).toBe(0);
    expect(JSON.stringify(dm?.blocks)).toContain(`p${card.ts.replace('.', '')}|Open the card>`);
  }
  // and Slack was asked for the card's link once, by the card's post, for every message that shows it
  expect(h.standIn.callsTo('chat.getPermalink')).toHaveLength(1);
});

test('when Slack does not give the card\'s link, the card and the first DMs go all the same', async () => {
  // given Slack failing every request for a permalink
  h = await startHarness();
  h.standIn.inject({ method: 'chat.getPermalink', times: 100, fault: { kind: 'slack_error', error: 'internal_error' } });
  // when a moment is flagged
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
  await h.standIn.waitFor(() => dmsTo(PEOPLE.ana).length === 1 && dmsTo(PEOPLE.bea).length === 1, 5000, 'the first DMs');
  // then the card is posted once and each reviewer is pinged at once, without the link (nothing waits on the call)
  expect(h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
  expect(JSON.stringify(dmsTo(PEOPLE.ana)[0]?.blocks)).not.toContain('Open the card');
  h.standIn.clearFaults();
  await h.settle();
});

test('a first DM does not wait for a card queued behind others in its channel', async () => {
  // given three flags in a row into the review channel, paced at a post a second: the launch's card waits its turn,
  // and comms (cal) reviews launches
  const routingYaml = TEST_ROUTING.replace('  - name: default', '  - name: launch\n    require: { comms: 1 }\n  - name: default');
  h = await startHarness({ postsPerSecondPerChannel: 1, routingYaml });
  for (const title of ['One: first', 'Two: second', 'Three: third #launch']) await h.command(PEOPLE.flagger, title);
  // when cal's DM about the launch arrives
  await h.standIn.waitFor(() => dmsTo(PEOPLE.cal).length === 1, 5000, 'the review DM to cal');
  // then it came before the launch's card, without waiting for it (and so without its link)
  expect(h.app.store.moments.card(3)).toBeUndefined();
  expect(JSON.stringify(dmsTo(PEOPLE.cal)[0]?.blocks)).not.toContain('Open the card');
  await h.settle();
});
