import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/** Who may press: outsiders are told "not yours", the flagger's own approval counts only with self_approval. */


const DEFAULT_TEXT = 'Monday mood: Coffee first, then the world';

/** Brand has the flagger and Ana; self-approval as given. */
function routingWithFlaggerInBrand(selfApproval: boolean): string {
  return `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 30m
  self_approval: ${selfApproval}
roles:
  brand: { members: [${PEOPLE.flagger}, ${PEOPLE.ana}] }
  leads: { members: [${PEOPLE.lead}] }
topics:
  - name: default
    require: { brand: 1 }
`;
}

let h: Harness;



function responseTexts(userId: string): string[] {
  return h.standIn.responses(`click-${userId}`).map((r) => String(r.body.text));
}

describe('a person who is not a reviewer', () => {
  beforeEach(async () => {
    h = await startHarness();
    await h.command(PEOPLE.flagger, DEFAULT_TEXT);
    await h.settle();
  });
  afterEach(async () => {
    await h.close();
  });

  test('pressing Approve is told it is not theirs and nothing is recorded', async () => {
    const before = h.onlyCard();
    const response = await h.click(PEOPLE.outsider, ACTION.approve, '1:1');
    await h.settle();

    expect(response.status).toBe(200);
    const told = h.standIn.responses(`click-${PEOPLE.outsider}`);
    expect(told).toHaveLength(1);
    expect(told[0]?.body.response_type).toBe('ephemeral');
    expect(String(told[0]?.body.text)).toContain('not yours');
    expect(h.countRows('decisions')).toBe(0);
    expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
    const after = h.onlyCard();
    expect(after.updates).toBe(before.updates);
    expect(after.blocks).toEqual(before.blocks);
    expect(h.standIn.messages(REVIEW_CHANNEL).filter((m) => m.threadTs !== undefined)).toHaveLength(0);
    expect(h.standIn.openedViews()).toHaveLength(0);
  });

  test('pressing Reject is told it is not theirs and no reason modal opens', async () => {
    const before = h.onlyCard();
    const response = await h.click(PEOPLE.outsider, ACTION.reject, '1:1');
    expect(response.status).toBe(200);
    await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.outsider}`).length > 0, 3000, 'the "not yours" answer');
    await h.settle();

    expect(responseTexts(PEOPLE.outsider)).toHaveLength(1);
    expect(responseTexts(PEOPLE.outsider)[0]).toContain('not yours');
    expect(h.standIn.openedViews()).toHaveLength(0);
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
    expect(h.countRows('decisions')).toBe(0);
    expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
    expect(h.onlyCard().updates).toBe(before.updates);
    expect(h.onlyCard().blocks).toEqual(before.blocks);
  });

  test('pressing Approve while the flagger revises is told it is not theirs, not to wait for the new revision', async () => {
    // given ana asked for changes (the outsider's copy of the card not yet re-rendered)
    const changes = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Add the hotline number' } } };
    await h.submitView(PEOPLE.ana, VIEW.requestChanges, changes, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }));
    await h.settle();
    expect(h.app.store.moments.get(1)?.state.status).toBe('changes_requested');
    // when someone who reviews nothing presses Approve
    await h.click(PEOPLE.outsider, ACTION.approve, '1:1');
    await h.settle();
    // then they hear "not yours", and nothing is recorded
    expect(responseTexts(PEOPLE.outsider)).toEqual([expect.stringContaining('not yours')]);
    expect(h.countRows('decisions')).toBe(1);
  });

  test('the flagger who is not a reviewer cannot approve their own moment either', async () => {
    await h.click(PEOPLE.flagger, ACTION.approve, '1:1');
    await h.settle();

    expect(responseTexts(PEOPLE.flagger)[0]).toContain('not yours');
    expect(h.countRows('decisions')).toBe(0);
  });
});

describe('a flagger who is also a brand reviewer, self-approval off', () => {
  beforeEach(async () => {
    h = await startHarness({ routingYaml: routingWithFlaggerInBrand(false) });
    await h.command(PEOPLE.flagger, DEFAULT_TEXT);
    await h.settle();
  });
  afterEach(async () => {
    await h.close();
  });

  test('is not DMed about their own moment', () => {
    expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))).toHaveLength(1);
    expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger))).toHaveLength(0);
  });

  test('pressing Approve is refused with the own-approval message and nothing is recorded', async () => {
    const before = h.onlyCard();
    await h.click(PEOPLE.flagger, ACTION.approve, '1:1');
    await h.settle();

    const told = responseTexts(PEOPLE.flagger);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('your own approval does not count');
    expect(h.countRows('decisions')).toBe(0);
    expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
    expect(h.onlyCard().updates).toBe(before.updates);
  });

  test('the other brand reviewer can still approve it', async () => {
    await h.click(PEOPLE.flagger, ACTION.approve, '1:1');
    await h.click(PEOPLE.ana, ACTION.approve, '1:1');
    await h.settle();

    expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.ana });
    expect(h.countRows('decisions')).toBe(1);
  });
});

describe('a flagger who is also a brand reviewer, self-approval on', () => {
  beforeEach(async () => {
    h = await startHarness({ routingYaml: routingWithFlaggerInBrand(true) });
    await h.command(PEOPLE.flagger, DEFAULT_TEXT);
    await h.settle();
  });
  afterEach(async () => {
    await h.close();
  });

  test('pressing Approve counts and approves the moment', async () => {
    await h.click(PEOPLE.flagger, ACTION.approve, '1:1');
    await h.settle();

    expect(responseTexts(PEOPLE.flagger)).toHaveLength(0);
    expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.flagger });
    expect(h.app.store.reviews.decisions(1)).toEqual([expect.objectContaining({ userId: PEOPLE.flagger, role: 'brand', action: 'approve' })]);
    expect(JSON.stringify(h.onlyCard().blocks)).toContain('*Approved*');
  });
});
