import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { openForm, submittedAsOpened } from '../helpers/forms';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/**
 * A press on a DM the moment has moved on from, arriving before the DM's update reached the person (Slack's limit on
 * updates can hold them back; a phone was offline for a minute). The button carries only the moment, revision and tier
 * it showed: a press about anything older changes nothing, and the person is told what is true for them.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // a sports moment: brand (ana, bea) decides, then the leads
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark, lights off #sports');
  await h.settle();
});
afterEach(async () => {
  await h.close();
});

const changes = (comment: string): ViewValues => ({ [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: comment } } });
const answersTo = (userId: string) => h.standIn.responses(`click-${userId}`).map((r) => String(r.body.text));
const dmsTo = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

async function changesAsked(by: string, value: string): Promise<void> {
  const form = await openForm(h, by, ACTION.requestChanges, value);
  await h.submitView(by, VIEW.requestChanges, changes('no lights-off joke during the outage'), String(form.view.private_metadata));
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('changes_requested');
}

async function revised(): Promise<void> {
  const form = await openForm(h, PEOPLE.flagger, ACTION.revise, '1:1');
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(form, { [FIELD.copy.block]: 'dunk, lights on' }), String(form.view.private_metadata));
  await h.settle();
  expect(h.app.store.moments.get(1)?.revision).toBe(2);
}

test('an Escalate on a revision-1 DM pressed after revision 2 was posted changes nothing, as an Approve from it does', async () => {
  // given ana's review DM of revision 1, with its Escalate "1:1:0"
  const anaDm = dmsTo(PEOPLE.ana)[0];
  if (!anaDm) throw new Error('ana has no review DM');
  expect(JSON.stringify(anaDm.blocks)).toContain('"1:1:0:');
  // and bea asks for changes, and the flagger posts revision 2, which ana has not seen yet
  await changesAsked(PEOPLE.bea, '1:1:0');
  await revised();
  // when ana's Escalate from her revision-1 DM arrives
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0', { channel: anaDm.channel, messageTs: anaDm.ts });
  await h.settle();
  // then brand still decides revision 2, and the leads are not pinged
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, tier: 0, state: { status: 'pending' } });
  expect(h.app.store.reviews.decisions(1).map((d) => d.action)).toEqual(['request_changes', 'revise']);
  expect(dmsTo(PEOPLE.lead)).toHaveLength(0);
  // and ana is told the copy changed since
  expect(answersTo(PEOPLE.ana).join('\n')).toContain('revision 1');
});

describe('a reviewer left behind by an escalation, pressing their old DM after the moment moved on further', () => {
  beforeEach(async () => {
    // ana escalates to the leads: bea (brand) is left behind
    await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0');
    await h.settle();
    expect(h.app.store.moments.get(1)?.tier).toBe(1);
  });

  test('is told nothing more is needed from them, not to wait for the revision the leads asked for', async () => {
    await changesAsked(PEOPLE.lead, '1:1:1');
    await h.click(PEOPLE.bea, ACTION.approve, '1:1:0');
    await h.settle();
    expect(answersTo(PEOPLE.bea)).toEqual([expect.stringMatching(/nothing more is needed from you/i)]);
  });

  test('is told nothing more is needed from them, not to decide on the latest card, after the revision', async () => {
    await changesAsked(PEOPLE.lead, '1:1:1');
    await revised();
    expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, tier: 1, state: { status: 'pending' } });
    await h.click(PEOPLE.bea, ACTION.approve, '1:1:0');
    await h.settle();
    expect(answersTo(PEOPLE.bea)).toEqual([expect.stringMatching(/nothing more is needed from you/i)]);
  });

  test('pressing Reject… opens no form and is told nothing more is needed from them', async () => {
    await changesAsked(PEOPLE.lead, '1:1:1');
    await h.click(PEOPLE.bea, ACTION.reject, '1:1:0');
    await h.standIn.waitFor(() => answersTo(PEOPLE.bea).length > 0, 3000, 'the answer');
    expect(answersTo(PEOPLE.bea)).toEqual([expect.stringMatching(/nothing more is needed from you/i)]);
  });
});
