import { sameOrganisation } from '../../src/slack/events/reaction-intake';
import { PEOPLE, slackClient, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

/**
 * Who is not one of the team: someone of another organisation in a channel shared with it (Slack Connect), whose
 * ⚡ must not make them the flagger of an internal review (DMed the reviewers' words, offered Revise…), and a bot's user
 * ID in the routing file, which can never press Approve.
 */

const SHARED = 'C0SHARED';
const PARTNER = 'U0PARTNER';
const BOT = 'U0WFBOT';

describe('someone of another organisation in a shared channel', () => {
  let h: Harness;
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    h = await startHarness({ logLines: lines });
    h.standIn.addUser({ id: PARTNER, name: 'pat-from-agency', email: 'pat@agency.example', teamId: 'T0PARTNER' });
  });
  afterEach(async () => {
    await h.close();
  });

  /** A flag reaction, once Greenlight is done with it (it logs each it ignores; a member's makes or answers a moment). */
  async function react(userId: string, ts: string, eventId: string, done: () => boolean): Promise<void> {
    expect((await h.event({ type: 'reaction_added', user: userId, reaction: 'zap', item: { type: 'message', channel: SHARED, ts }, item_user: PEOPLE.flagger, event_ts: `${Date.now() / 1000}` }, eventId)).status).toBe(200);
    await h.standIn.waitFor(done, 3000, 'the reaction handled');
    await h.settle();
  }
  const ignored = () => lines.some((line) => line.includes('flag reaction by someone outside the workspace ignored'));
  const flagged = () => h.app.store.moments.get(1) !== undefined;

  test('their flag reaction on one of our messages flags nothing and tells them nothing; the same reaction by one of ours flags it', async () => {
    // given a message of ours in the shared channel that routes to the private crisis review
    const posted = await slackClient(h).chat.postMessage({ channel: SHARED, text: 'Statement on the outage: we are sorry, refunds for everyone' });
    const ts = posted.ts as string;
    // when the partner's person adds the flag emoji
    await react(PARTNER, ts, 'Ev0PARTNER', ignored);
    // then no moment, and nothing said to them (a partner's ⚡ is only an emoji); a log line said why
    expect(h.countOpenMoments()).toBe(0);
    expect(h.standIn.ephemerals(PARTNER)).toEqual([]);
    expect(h.standIn.messages(h.standIn.dmChannelFor(PARTNER))).toEqual([]);
    // and one of ours flagging the same message makes the moment, theirs
    await react(PEOPLE.flagger, ts, 'Ev0OURS', flagged);
    expect(h.app.store.moments.get(1)).toMatchObject({ topic: 'crisis', flaggerId: PEOPLE.flagger });
  });

  test('their flag reaction on a message under review is not told how the review stands', async () => {
    const posted = await slackClient(h).chat.postMessage({ channel: SHARED, text: 'Statement on the outage: we are sorry, refunds for everyone' });
    const ts = posted.ts as string;
    await react(PEOPLE.flagger, ts, 'Ev0OURS', flagged);
    // one of ours reacting again is told it is under review; the partner, reacting after them, is not
    await react(PEOPLE.ana, ts, 'Ev0ANA', () => h.standIn.ephemerals(PEOPLE.ana).length > 0);
    const usersLookedUp = () => h.standIn.callsTo('users.info').filter((c) => c.params.user === PARTNER).length;
    await react(PARTNER, ts, 'Ev0PARTNER', () => usersLookedUp() > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await h.settle();
    expect(h.standIn.ephemerals(PARTNER)).toEqual([]);
  });
});

describe('the same organisation', () => {
  test('a person of the workspace, of another workspace of its Enterprise Grid org, or of no team Slack names is one of the team', () => {
    const workspace = { teamId: 'T0OURS', enterpriseId: 'E0ORG' };
    expect(sameOrganisation({ team_id: 'T0OURS' }, workspace)).toBe(true);
    expect(sameOrganisation({ team_id: 'T0SISTER', enterprise_user: { enterprise_id: 'E0ORG' } }, workspace)).toBe(true);
    expect(sameOrganisation({ team_id: 'E0ORG' }, workspace)).toBe(true);
    expect(sameOrganisation({}, workspace)).toBe(true);
    expect(sameOrganisation({ team_id: 'T0PARTNER' }, workspace)).toBe(false);
    expect(sameOrganisation({ team_id: 'T0PARTNER', enterprise_user: { enterprise_id: 'E0OTHER' } }, workspace)).toBe(false);
    expect(sameOrganisation({ team_id: 'T0SISTER', enterprise_user: { enterprise_id: 'E0ORG' } }, { teamId: 'T0OURS' })).toBe(false);
  });
});

describe("a bot's user ID in the routing file", () => {
  let h: Harness;
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    h = await startHarness({ routingYaml: TEST_ROUTING.replace(`brand: { members: [${PEOPLE.ana}, bea@example.com] }`, `brand: { members: [${BOT}] }`), logLines: lines });
    h.standIn.addUser({ id: BOT, name: 'campaign-workflow', isBot: true });
    // read again now that Slack knows the bot, as at the start of a real install
    await h.app.directory.refresh();
  });
  afterEach(async () => {
    await h.close();
  });

  test('leaves its role like a deactivated account, with a line for the operator, and a flag nobody could approve is refused', async () => {
    expect(h.app.directory.membersByRole().get('brand')).not.toContain(BOT);
    expect(lines.some((line) => line.includes('reviewer user ID is not an active person in Slack') && line.includes(BOT))).toBe(true);
    const answer = await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
    await h.settle();
    expect(h.countOpenMoments()).toBe(0);
    expect(answer.text).not.toContain('Flagging');
  });
});
