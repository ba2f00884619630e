import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { LIVE_HOME_MS } from '../../src/workflow/live-homes';
import { PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('opening the Home tab publishes what waits for the reviewer and what the flagger flagged', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.event({ type: 'app_home_opened', user: PEOPLE.flagger, channel: 'DU0FLAG', tab: 'home', event_ts: '1.2' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.flagger) !== undefined, 5000, 'the flagger home');
  const anaHome = JSON.stringify(h.standIn.homeView(PEOPLE.ana));
  expect(anaHome).toContain('Waiting for you');
  expect(anaHome).toContain('#1');
  expect(anaHome).toContain('Oreo');
  const flaggerHome = JSON.stringify(h.standIn.homeView(PEOPLE.flagger));
  expect(flaggerHome).toContain('Nothing needs your decision');
  expect(flaggerHome).toContain('Oreo');
});

test("a moment the reviewer already approved, or whose role another filled, no longer waits for them", async () => {
  // given a crisis moment (comms 1, legal 1) that comms approved, and a sports moment another brand reviewer approved
  await h.command(PEOPLE.flagger, 'Outage statement #crisis');
  await h.command(PEOPLE.flagger, 'Match day post #sports');
  await h.settle();
  await h.click(PEOPLE.cal, ACTION.approve, '1:1:0');
  await h.click(PEOPLE.bea, ACTION.approve, '2:1:0');
  await h.settle();
  // when comms, legal and the other brand reviewer open their Home
  for (const [user, ts] of [[PEOPLE.cal, '1.1'], [PEOPLE.leo, '1.2'], [PEOPLE.ana, '1.3']] as const) {
    await h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: ts });
  }
  await h.standIn.waitFor(() => [PEOPLE.cal, PEOPLE.leo, PEOPLE.ana].every((u) => h.standIn.homeView(u) !== undefined), 5000, 'three homes');
  // then only legal still has the crisis moment waiting; comms and brand have nothing
  const waiting = (user: string) => JSON.stringify(h.standIn.homeView(user));
  expect(waiting(PEOPLE.leo)).toContain('#1');
  // (in the role it waits on them in: a phone shows no card beside the list)
  expect(waiting(PEOPLE.leo)).toContain('·  as *legal*');
  for (const done of [PEOPLE.cal, PEOPLE.ana]) {
    expect(waiting(done)).toContain('Nothing needs your decision');
    expect(waiting(done)).not.toContain('#1');
  }
});

test('a reviewer taken out of the role after the ping no longer has the moment waiting in their Home', async () => {
  // given a crisis moment assigned to legal (leo), then leo leaves the legal user group and the directory reads it
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42" #crisis');
  await h.settle();
  expect(h.app.store.reviews.assignments(1).some((a) => a.userId === PEOPLE.leo && a.role === 'legal')).toBe(true);
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.app.directory.refresh();
  // when leo and comms open their Home
  await h.event({ type: 'app_home_opened', user: PEOPLE.leo, channel: 'DU0LEO', tab: 'home', event_ts: '1.1' });
  await h.event({ type: 'app_home_opened', user: PEOPLE.cal, channel: 'DU0CAL', tab: 'home', event_ts: '1.2' });
  await h.standIn.waitFor(() => [PEOPLE.leo, PEOPLE.cal].every((u) => h.standIn.homeView(u) !== undefined), 5000, 'two homes');
  // then leo sees nothing waiting and not the title; comms, still in its group, has it
  const leo = JSON.stringify(h.standIn.homeView(PEOPLE.leo));
  expect(leo).toContain('Nothing needs your decision');
  expect(leo).not.toContain('Recall notice');
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.cal))).toContain('Recall notice');
});

test('the Home shows the team stats: the median time to a decision per topic over the last 30 days', async () => {
  // given a sports moment approved 90 s after it was flagged
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  h.advance(90_000);
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  // when someone else opens their Home
  await h.event({ type: 'app_home_opened', user: PEOPLE.bea, channel: 'DU0BEA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.bea) !== undefined, 5000, 'the home');
  // then under their own lists it shows the team stats, with the median per topic
  const home = JSON.stringify(h.standIn.homeView(PEOPLE.bea));
  expect(home).toContain('Waiting for you');
  expect(home).toContain('Team stats');
  expect(home).toContain('• sports: 1m 30s (1 of 1 decided)');
});

test('someone who has flagged nothing is told how, naming the emoji that flags (FLAG_EMOJI), not "the flag emoji"', async () => {
  await h.event({ type: 'app_home_opened', user: PEOPLE.outsider, channel: 'DU0OUT', tab: 'home', event_ts: '1.9' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.outsider) !== undefined, 5000, 'the Home');
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.outsider))).toContain('You have not flagged anything yet: try `/moment Title: copy` or react to a message with :zap:.');
});

test('the Messages tab opening publishes nothing', async () => {
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'messages', event_ts: '1.1' });
  await h.settle();
  expect(h.standIn.callsTo('views.publish')).toHaveLength(0);
});

test("the flagger withdraws from Home, where the card's channel may be out of reach, and the Home follows", async () => {
  // given an open crisis moment (reviewed in a channel the flagger may not be in), and the flagger's Home
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42" #crisis');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.flagger, channel: 'DU0FLAG', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.flagger) !== undefined, 5000, 'the flagger home');
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.flagger))).toContain(ACTION.withdraw);
  const published = h.standIn.callsTo('views.publish').length;
  // when the flagger presses Withdraw in Home (no channel, no response_url)
  expect((await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1', { inHome: true })).status).toBe(200);
  await h.settle();
  // then the moment is withdrawn and the Home is published again (queued once the press is acknowledged) without the button
  expect(h.app.store.moments.get(1)?.state.status).toBe('withdrawn');
  await h.standIn.waitFor(() => h.standIn.callsTo('views.publish').length === published + 1, 3000, 'the Home published again');
  const home = JSON.stringify(h.standIn.homeView(PEOPLE.flagger));
  expect(home).toContain('withdrawn');
  expect(home).not.toContain(ACTION.withdraw);
  // and a stale Withdraw pressed again is refused, the Home published once more as it is
  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1', { inHome: true });
  await h.settle();
  await h.standIn.waitFor(() => h.standIn.callsTo('views.publish').length === published + 2, 3000, 'the Home published again');
  expect(h.app.store.reviews.decisions(1).filter((d) => d.action === 'withdraw')).toHaveLength(1);
});

/** A sports moment flagged, and the flagger's Home opened and showing its Escalate (the leads are its next tier). */
async function flaggedWithEscalateInHome(): Promise<void> {
  await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.flagger, channel: 'DU0FLAG', tab: 'home', event_ts: '1.000001' });
  await h.standIn.waitFor(() => JSON.stringify(h.standIn.homeView(PEOPLE.flagger) ?? {}).includes(ACTION.escalate), 5000, 'Escalate in Home');
}

test('the flagger escalates from Home: the leads are asked, and the Home no longer offers it at the last tier', async () => {
  // given a moment whose card the flagger may not be able to open, with the leads as its next tier
  await flaggedWithEscalateInHome();
  // when they press it there
  expect((await h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0', { inHome: true })).status).toBe(200);
  await h.settle();
  // then the lead is asked, and the Home, published again, has nothing higher to escalate to
  expect(h.app.store.moments.get(1)?.tier).toBe(1);
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.lead))[0]?.blocks)).toContain('escalated to you');
  const home = JSON.stringify(h.standIn.homeView(PEOPLE.flagger));
  expect(home).toContain(ACTION.withdraw);
  expect(home).not.toContain(ACTION.escalate);
});

test('an Escalate pressed in Home after the moment moved on is refused, and the flagger is told why by DM', async () => {
  // given the flagger's Home offers Escalate on a moment at its first tier
  await flaggedWithEscalateInHome();
  // and a reviewer escalates from the card meanwhile
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0');
  await h.settle();
  // when the flagger presses the Escalate their Home still shows
  expect((await h.click(PEOPLE.flagger, ACTION.escalate, '1:1:0', { inHome: true })).status).toBe(200);
  await h.settle();
  // then nothing more is escalated, and their DM with Greenlight says why (Home has nowhere to answer)
  expect(h.app.store.reviews.decisions(1).filter((d) => d.action === 'escalate')).toHaveLength(1);
  const told = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
  expect(told).toContainEqual(expect.stringContaining('This moment was already escalated to "leads", who have been asked: they are the last it can go to.'));
  // and the Home, published again, no longer offers it
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.flagger))).not.toContain(ACTION.escalate);
});

test('while changes are asked, Home offers the flagger Revise…, and the revision sent from it updates the Home', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  // given ana asked for changes
  await h.click(PEOPLE.ana, ACTION.requestChanges, '1:1', { triggerId: 'trigger.changes' });
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 3000, 'the request modal');
  const ask = h.standIn.openedViews()[0]!;
  await h.submitView(PEOPLE.ana, VIEW.requestChanges, { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the team' } } }, String(ask.view.private_metadata));
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.flagger, channel: 'DU0FLAG', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => h.standIn.homeView(PEOPLE.flagger) !== undefined, 5000, 'the flagger home');
  const home = JSON.stringify(h.standIn.homeView(PEOPLE.flagger));
  expect(home).toContain(ACTION.revise);
  expect(home).toContain('revision due');
  // when the flagger presses Revise… in Home and sends a new title
  await h.click(PEOPLE.flagger, ACTION.revise, '1:1', { inHome: true, triggerId: 'trigger.revise.home' });
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 2, 3000, 'the revise modal');
  const revise = h.standIn.openedViews()[1]!;
  const values = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Tigers: dunk in the dark' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: 'Go Tigers' } },
  };
  expect(await h.submitView(PEOPLE.flagger, VIEW.revise, values, String(revise.view.private_metadata))).toEqual({ status: 200, text: '' });
  await h.settle();
  // then revision 2 waits for the reviewers, and the Home shows it without Revise…
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, state: { status: 'pending' } });
  await h.standIn.waitFor(() => JSON.stringify(h.standIn.homeView(PEOPLE.flagger)).includes('Tigers'), 3000, 'the Home published again');
  const after = JSON.stringify(h.standIn.homeView(PEOPLE.flagger));
  expect(after).toContain('Tigers: dunk in the dark');
  expect(after).not.toContain(ACTION.revise);
  expect(after).toContain(ACTION.withdraw);
});

describe('long lists', () => {
  async function homeOf(user: string, ts: string): Promise<string> {
    const before = h.standIn.callsTo('views.publish').length;
    await h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: ts });
    await h.standIn.waitFor(() => h.standIn.callsTo('views.publish').length > before, 5000, 'the home');
    return JSON.stringify(h.standIn.homeView(user));
  }

  test('a reviewer with more moments waiting than the Home lists is told how many more', async () => {
    // given 22 short sports moments, each waiting on brand (ana)
    for (let i = 1; i <= 22; i += 1) await h.command(PEOPLE.flagger, `Post ${i}: go team ${i} #sports`);
    await h.settle();
    // when ana opens her Home
    const home = JSON.parse(await homeOf(PEOPLE.ana, '1.1')) as { blocks: { type: string; text?: { text: string } }[] };
    // then the 20 it lists each have their Approve, and the other two are counted in "… and 2 more"
    const waiting = home.blocks.slice(0, home.blocks.findIndex((b) => b.type === 'divider'));
    const lines = waiting.flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : []));
    expect(lines.filter((l) => l.startsWith('• #'))).toHaveLength(20);
    expect(lines.at(-1)).toBe('… and 2 more, due later: each is in your DMs from Greenlight');
    expect(JSON.stringify(waiting).split(`"action_id":"${ACTION.approve}"`)).toHaveLength(21);
  });

  test("a flagger's open moment is not pushed out of their Home by ten newer closed ones: its Withdraw stays", async () => {
    // given the flagger's first moment is still open, and ten later ones were flagged and withdrawn
    await h.command(PEOPLE.flagger, 'Still open: the first one #sports');
    for (let i = 2; i <= 11; i += 1) await h.command(PEOPLE.flagger, `Post ${i}: go team ${i} #sports`);
    await h.settle();
    for (let i = 2; i <= 11; i += 1) await h.click(PEOPLE.flagger, ACTION.withdraw, `${i}:1:0`);
    await h.settle();
    // when the flagger opens their Home
    const home = await homeOf(PEOPLE.flagger, '1.2');
    // then the open moment is there with its Withdraw, above the closed ones
    expect(home).toContain('Still open');
    expect(home).toContain(`"value":"1:1:0:`);
    expect(home.indexOf('Still open')).toBeLessThan(home.indexOf('Post 11'));
  });
});

describe('a Home left open follows its moments', () => {
  async function openHome(user: string, ts: string): Promise<void> {
    const before = h.standIn.callsTo('views.publish').filter((c) => c.params.user_id === user).length;
    await h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: ts });
    await h.standIn.waitFor(() => publishesTo(user) > before, 5000, 'the home');
  }
  const publishesTo = (user: string): number => h.standIn.callsTo('views.publish').filter((c) => c.params.user_id === user).length;
  const home = (user: string): string => JSON.stringify(h.standIn.homeView(user));

  test('a moment decided on the card leaves the other reviewer\'s open Home, and the flagger\'s loses Withdraw', async () => {
    // given a sports moment waiting on brand (ana or bea), and ana's and the flagger's Homes open on it
    await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
    await h.settle();
    await openHome(PEOPLE.ana, '1.1');
    await openHome(PEOPLE.flagger, '1.2');
    expect(home(PEOPLE.ana)).toContain('#1');
    expect(home(PEOPLE.flagger)).toContain(ACTION.withdraw);
    // when bea approves it on the card
    await h.click(PEOPLE.bea, ACTION.approve, '1:1:0');
    await h.settle();
    // then, without opening them again, ana's Home has nothing waiting and the flagger's shows it approved, no Withdraw
    expect(home(PEOPLE.ana)).toContain('Nothing needs your decision');
    expect(home(PEOPLE.flagger)).toContain('approved');
    expect(home(PEOPLE.flagger)).not.toContain(ACTION.withdraw);
    // and bea, who never opened hers, is published nothing
    expect(publishesTo(PEOPLE.bea)).toBe(0);
  });

  test('a new moment shows up in the open Home of a reviewer it waits on', async () => {
    await openHome(PEOPLE.ana, '1.1');
    expect(home(PEOPLE.ana)).toContain('Nothing needs your decision');
    await h.command(PEOPLE.flagger, 'Match day post #sports');
    await h.settle();
    expect(home(PEOPLE.ana)).toContain('Match day post');
  });

  test("a moment flagged while a reviewer's Home is open shows there linked to its card, and in its team stats", async () => {
    // given ana's Home open, nothing waiting, nothing flagged yet
    await openHome(PEOPLE.ana, '1.1');
    expect(home(PEOPLE.ana)).toContain('No moments flagged in the last 30 days');
    // when a sports moment is flagged and everything it queued is delivered
    await h.command(PEOPLE.flagger, 'Match day post #sports');
    await h.settle();
    // then her open Home lists it, linked to its card (the Home's way to the buttons), and counts it in the stats
    const card = h.onlyCard();
    expect(home(PEOPLE.ana)).toContain('Match day post');
    expect(home(PEOPLE.ana)).toContain(`/archives/${card.channel}/p${card.ts.replace('.', '')}`);
    expect(home(PEOPLE.ana)).not.toContain('No moments flagged in the last 30 days');
  });

  test('a Home opened more than an hour ago is not published again when its moments change', async () => {
    await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
    await h.settle();
    await openHome(PEOPLE.ana, '1.1');
    h.advance(LIVE_HOME_MS + 1);
    await h.click(PEOPLE.bea, ACTION.approve, '1:1:0');
    await h.settle();
    expect(publishesTo(PEOPLE.ana)).toBe(1);
  });

  test('a press in Home publishes it once, and many changes at once publish it as few times', async () => {
    // given ana's Home open on three sports moments
    for (let i = 1; i <= 3; i += 1) await h.command(PEOPLE.flagger, `Post ${i} #sports`);
    await h.settle();
    await openHome(PEOPLE.ana, '1.1');
    // when she approves one in her Home
    await h.click(PEOPLE.ana, ACTION.approve, '1:1:0', { inHome: true });
    await h.settle();
    // then her Home was published once more, without it
    expect(publishesTo(PEOPLE.ana)).toBe(2);
    expect(home(PEOPLE.ana)).not.toContain('Post 1');
    // and when bea approves the other two at once, ana's Home follows, published at most once each
    await Promise.all([h.click(PEOPLE.bea, ACTION.approve, '2:1:0'), h.click(PEOPLE.bea, ACTION.approve, '3:1:0')]);
    await h.settle();
    expect(home(PEOPLE.ana)).toContain('Nothing needs your decision');
    expect(publishesTo(PEOPLE.ana)).toBeLessThanOrEqual(4);
  });
});

test("a reviewer's open Home drops the moment when they leave its role", async () => {
  // given a crisis moment waiting on legal (leo), and leo's Home open on it
  await h.command(PEOPLE.flagger, 'Recall notice #crisis');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.leo, channel: 'DU0LEO', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => JSON.stringify(h.standIn.homeView(PEOPLE.leo) ?? {}).includes('Recall notice'), 5000, "leo's home");
  // when leo leaves the legal user group and Greenlight hears of it
  h.standIn.setUsergroup('S0LEGAL', []);
  await h.event({ type: 'subteam_members_changed', subteam_id: 'S0LEGAL', team_id: 'T0', date_previous_update: 1, date_update: 2, added_users: [], added_users_count: '0', removed_users: [PEOPLE.leo], removed_users_count: '1', event_ts: '1.2' });
  // then his Home is published again without it
  await h.standIn.waitFor(() => !JSON.stringify(h.standIn.homeView(PEOPLE.leo)).includes('Recall notice'), 5000, "leo's home without the moment");
  expect(JSON.stringify(h.standIn.homeView(PEOPLE.leo))).toContain('Nothing needs your decision');
});

/** The buttons of one actions block of a Home or message, by block id: what the person sees and presses. */
function buttonsIn(blocks: unknown, blockId: string): { action_id: string; value: string; text: { text: string } }[] {
  const found = (blocks as { type: string; block_id?: string; elements?: unknown[] }[]).find((b) => b.type === 'actions' && b.block_id === blockId);
  return (found?.elements ?? []) as { action_id: string; value: string; text: { text: string } }[];
}

const homeBlocks = (user: string): unknown => (h.standIn.homeView(user) as { blocks: unknown } | undefined)?.blocks ?? [];

test('a reviewer approves from the Approve button of their App Home: the moment is approved and leaves their Home', async () => {
  // given a sports moment waiting on brand, and ana's Home open on it
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1').length > 0, 5000, "ana's Home with its buttons");
  // with the buttons her review DM has
  expect(buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1').map((b) => b.text.text)).toEqual(['Approve', 'Request changes…', 'Reject…', 'Escalate']);
  const approve = buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1').find((b) => b.action_id === ACTION.approve);
  // when she presses its Approve there (no channel, no response_url)
  expect((await h.click(PEOPLE.ana, ACTION.approve, approve?.value ?? '', { inHome: true })).status).toBe(200);
  await h.settle();
  // then the moment is approved by her, the card says so, and her Home has nothing waiting
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.ana });
  expect(JSON.stringify(h.onlyCard().blocks)).toContain('*Approved*');
  await h.standIn.waitFor(() => JSON.stringify(homeBlocks(PEOPLE.ana)).includes('Nothing needs your decision'), 3000, 'the Home published again');
  expect(JSON.stringify(homeBlocks(PEOPLE.ana))).not.toContain(ACTION.approve);
});

test('a Reject… pressed in Home opens the reason form for that moment, which sends the rejection', async () => {
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1').length > 0, 5000, "ana's Home with its buttons");
  const reject = buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1').find((b) => b.action_id === ACTION.reject);
  await h.click(PEOPLE.ana, ACTION.reject, reject?.value ?? '', { inHome: true, triggerId: 'trigger.reject.home' });
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 3000, 'the reason form');
  const form = h.standIn.openedViews()[0]!;
  const values = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Off brand' } } };
  expect(await h.submitView(PEOPLE.ana, VIEW.reject, values, String(form.view.private_metadata))).toEqual({ status: 200, text: '' });
  await h.settle();
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'rejected', by: PEOPLE.ana });
});

test("where the flagger's own approval counts, their Home gives their own moment exactly the buttons of their review DM", async () => {
  // given a sports topic with self-approval, and ana (brand) flags a moment of her own
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('  - name: sports\n    require: { brand: 1 }', '  - name: sports\n    require: { brand: 1 }\n    self_approval: true') });
  await h.command(PEOPLE.ana, 'Oreo: dunk in the dark #sports');
  await h.settle();
  const dm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).find((m) => JSON.stringify(m.blocks).includes(ACTION.approve));
  expect(dm).toBeDefined();
  // when she opens her Home
  await h.event({ type: 'app_home_opened', user: PEOPLE.ana, channel: 'DU0ANA', tab: 'home', event_ts: '1.1' });
  await h.standIn.waitFor(() => buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1').length > 0, 5000, "ana's Home with its buttons");
  // then it waits on her with the very buttons of her DM (Approve, Request changes…, Reject…, Escalate), and her
  // flagged list still offers Escalate and Withdraw
  expect(buttonsIn(homeBlocks(PEOPLE.ana), 'waiting:1')).toEqual(buttonsIn(dm?.blocks, 'decide:1'));
  expect(buttonsIn(homeBlocks(PEOPLE.ana), 'flagged:1').map((b) => b.action_id)).toEqual([ACTION.escalate, ACTION.withdraw]);
  // and her Approve from there counts
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0', { inHome: true });
  await h.settle();
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.ana });
});

test('a press in Home refused because the moment moved on is told by a DM that names the moment, one-press and form buttons alike', async () => {
  // given two moments of the flagger, a title with markup of its own, and the first approved on the card meanwhile
  await h.command(PEOPLE.flagger, 'Oreo 2*3 <b> & co: dunk in the dark #sports');
  await h.command(PEOPLE.flagger, 'Tigers: game night special #sports');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  const told = (user: string) => h.standIn.messages(h.standIn.dmChannelFor(user)).map((m) => m.text);
  const before = { flagger: told(PEOPLE.flagger).length, bea: told(PEOPLE.bea).length };
  // when the flagger presses Withdraw, and bea Reject…, on it in Homes shown before
  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1', { inHome: true });
  await h.click(PEOPLE.bea, ACTION.reject, '1:1:0', { inHome: true });
  await h.settle();
  // then each is told by DM which moment it was (its title escaped, its own asterisks kept from the bold), and why nothing was done
  const named = 'Moment #1 *Oreo 2∗3 &lt;b&gt; &amp; co*: Already approved by <@U0ANA>.';
  expect(told(PEOPLE.flagger).slice(before.flagger)).toEqual([expect.stringContaining(named)]);
  expect(told(PEOPLE.bea).slice(before.bea)).toEqual([expect.stringContaining(named)]);
  expect(h.standIn.openedViews()).toHaveLength(0);
});
