import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL } from '../helpers/harness';
import { audit } from './audit';
import { sleep, startRig, type Rig, type RigApp } from './rig';

const GONE = 'C0GONE';
const ARCHIVED = 'C0ARCHIVED';

/** The test routing plus two topics whose channels Slack refuses: one deleted, one archived. */
const ROUTING = `
defaults:
  channel: ${REVIEW_CHANNEL}
  decide_within: 30m
  remind_at: 50%
  escalate_to: [leads]
roles:
  brand: { members: [${PEOPLE.ana}, bea@example.com] }
  leads: { members: [${PEOPLE.lead}] }
topics:
  - name: launch
    channel: ${GONE}
    require: { brand: 1 }
  - name: archive
    channel: ${ARCHIVED}
    require: { brand: 1 }
  - name: default
    require: { brand: 1 }
`;

let rig: Rig;
let g: RigApp;
let lines: string[];
beforeEach(async () => {
  lines = [];
  rig = await startRig({ routingYaml: ROUTING, standIn: { missingChannels: [GONE], archivedChannels: [ARCHIVED] }, logLines: lines });
  g = await rig.start();
});
afterEach(async () => {
  await rig.close();
});

test('a card Slack refuses for good is given up once: the moment stays right and the flagger is told', async () => {
  // When a moment is flagged for a deleted channel and another for an archived one, next to a normal one.
  expect((await g.command(PEOPLE.flagger, 'Launch teaser #launch')).status).toBe(200);
  expect((await g.command(PEOPLE.flagger, 'Old campaign #archive')).status).toBe(200);
  expect((await g.command(PEOPLE.flagger, 'Normal post #default')).status).toBe(200);
  await g.app.worker.settled(10_000);

  // Then each refused card post was tried once and given up, with Slack's reason.
  const posts = (channel: string) => rig.standIn.callsTo('chat.postMessage').filter((c) => c.params.channel === channel);
  expect(posts(GONE).map((c) => (c.response as { error?: string }).error)).toEqual(['channel_not_found']);
  expect(posts(ARCHIVED).map((c) => (c.response as { error?: string }).error)).toEqual(['is_archived']);
  const rows = audit(rig.standIn, rig.databasePath).rows;
  const cardRow = (momentId: number) => rows.find((r) => r.momentId === momentId && r.kind === 'post_card')!;
  expect(cardRow(1)).toMatchObject({ outcome: 'failed', lastError: 'channel_not_found', attempts: 0 });
  expect(cardRow(2)).toMatchObject({ outcome: 'failed', lastError: 'is_archived', attempts: 0 });
  expect(cardRow(3)).toMatchObject({ outcome: 'sent' });
  // and the log says where each was going, and what the operator can do about it
  const givenUp = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'notice given up' && line.notice === 'post_card');
  expect(givenUp).toEqual([
    expect.objectContaining({ momentId: 1, to: `channel:${GONE}`, fix: expect.stringContaining('/invite @Greenlight') }),
    expect.objectContaining({ momentId: 2, to: `channel:${ARCHIVED}`, fix: expect.stringContaining('unarchive it') }),
  ]);

  // The moments themselves are intact and still waiting for a decision.
  for (const id of [1, 2]) {
    const moment = g.app.store.moments.get(id)!;
    expect(moment.state.status).toBe('pending');
    expect(g.app.store.moments.card(id)).toBeUndefined();
    expect(g.app.store.reviews.assignments(id).filter((a) => a.tier === moment.tier).map((a) => a.userId).sort()).toEqual([PEOPLE.ana, PEOPLE.bea].sort());
    expect(g.app.store.deadlines.openFor(id).map((d) => d.kind).sort()).toEqual(['remind', 'timeout']);
  }
  // The flagger is told the card could not be posted, naming the channel; the normal flag gets its link.
  const told = rig.standIn.responses(`cmd-${PEOPLE.flagger}`).map((r) => String(r.body.text));
  expect(told).toHaveLength(3);
  expect(told.filter((t) => t.includes('could not post the card'))).toEqual([
    expect.stringContaining(`<#${GONE}>`),
    expect.stringContaining(`<#${ARCHIVED}>`),
  ]);
  expect(told.filter((t) => t.includes('See the card'))).toHaveLength(1);
  // and is not sent to flag it again (a second moment would ask the same reviewers twice): they decide from their DMs
  for (const text of told.filter((t) => t.includes('could not post the card'))) {
    expect(text).toContain('decide from the DMs');
    expect(text).not.toMatch(/then flag it again/);
  }
  // with advice that fits why: an invitation for the channel Greenlight cannot reach, none for the archived one
  expect(told.find((t) => t.includes(`<#${GONE}>`))).toContain('/invite @Greenlight');
  expect(told.find((t) => t.includes(`<#${ARCHIVED}>`))).toContain('The channel is archived');
  expect(told.find((t) => t.includes(`<#${ARCHIVED}>`))).not.toContain('/invite');
  expect(rig.standIn.messages(rig.standIn.dmChannelFor(PEOPLE.ana)).length).toBeGreaterThanOrEqual(2);

  // And nothing is retried afterwards: no open rows, no new calls to the refused channels.
  expect(g.app.store.outbox.stats()).toMatchObject({ open: 0, failed: 2 });
  const callsBefore = rig.standIn.calls.length;
  await sleep(1500);
  expect(rig.standIn.calls.length).toBe(callsBefore);
});

test('deciding a moment whose card was never posted updates nothing in the refused channel and still tells the flagger', async () => {
  // Given a moment whose card post was given up.
  await g.command(PEOPLE.flagger, 'Launch teaser #launch');
  await g.app.worker.settled(10_000);
  const goneCalls = () => rig.standIn.calls.filter((c) => c.params.channel === GONE).length;
  expect(goneCalls()).toBe(1);

  // When a reviewer approves it from their DM.
  expect((await g.click(PEOPLE.ana, ACTION.approve, '1:1')).status).toBe(200);
  await g.app.worker.settled(10_000);

  // Then the decision is stored, the card notices are skipped (not retried), and the flagger hears the outcome.
  expect(g.app.store.moments.get(1)?.state.status).toBe('approved');
  expect(goneCalls()).toBe(1);
  const result = audit(rig.standIn, rig.databasePath);
  expect(result.open).toBe(0);
  expect(result.rows.filter((r) => r.kind === 'update_card' || r.kind === 'thread_note').every((r) => r.outcome === 'skipped')).toBe(true);
  const flaggerDm = rig.standIn.messages(rig.standIn.dmChannelFor(PEOPLE.flagger));
  expect(flaggerDm).toHaveLength(1);
  expect(flaggerDm[0]!.text).toContain('approved');
  expect(result.doubled).toEqual([]);
});
