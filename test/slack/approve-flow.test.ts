import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

// FULL is the production default and syncs the log off the event loop; NORMAL leaves syncing to SQLite.
describe.each(['NORMAL', 'FULL'] as const)('with synchronous=%s', (synchronous) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ synchronous });
  });
  afterEach(async () => {
    await h.close();
  });

  test('a quick flag posts the card, DMs the reviewers and confirms to the flagger with the permalink', async () => {
    const response = await h.command(PEOPLE.flagger, 'Oreo: "You can still dunk in the dark" #sports');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).text).toContain('Flagging');
    await h.settle();

    const cards = h.standIn.messages(REVIEW_CHANNEL);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(JSON.stringify(card.blocks)).toContain('You can still dunk in the dark');
    expect(JSON.stringify(card.blocks)).toContain(`<@${PEOPLE.ana}>`);
    expect(JSON.stringify(card.blocks)).toContain('<!date^');
    expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);
    const confirmation = h.standIn.responses(`cmd-${PEOPLE.flagger}`);
    expect(confirmation.map((r) => String(r.body.text)).join('\n')).toContain('archives/C0REVIEW');
  });

  test('one brand approval approves a sports moment and tells everyone', async () => {
    await h.command(PEOPLE.flagger, 'Oreo: "You can still dunk in the dark" #sports');
    await h.settle();
    const value = '1:1';
    const click = await h.click(PEOPLE.ana, ACTION.approve, value);
    expect(click.status).toBe(200);
    await h.settle();
    const moment = h.app.store.moments.get(1);
    expect(moment?.state.status).toBe('approved');
    const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined)!;
    expect(JSON.stringify(card.blocks)).toContain('Approved');
    expect(JSON.stringify(card.blocks)).not.toContain(ACTION.approve);
    // The approval and the outcome are one reply in the card's thread, not two posts.
    const replies = h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs === card.ts);
    expect(replies.map((m) => m.text)).toEqual(['✅ *ana* approved (brand).\n🎉 *Oreo* is approved. Go post it!']);
    const flaggerDm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger));
    expect(flaggerDm.map((m) => m.text).join('\n')).toContain('approved');
  });
});
