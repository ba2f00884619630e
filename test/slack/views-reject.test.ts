import Database from 'better-sqlite3';
import type { OpenedView } from '../../src/sandbox/slack-stand-in';
import { DECISION_FORM_NOT_OPENED } from '../../src/slack/actions/decision-buttons';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/** Reject: the button opens the reason modal (the confirmation); a reason is required; one reject is final. */


let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first, then the world');
  await h.settle();
});
afterEach(async () => {
  await h.close();
});

const REASON = 'Too close to <!here> & the "recall" news; ask <@U0LEO> first';

function reasonValues(reason: string | null): ViewValues {
  return { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: reason } } };
}



/** Ana presses Reject on the card; resolves with the reason modal that opened. */
async function openRejectModal(triggerId = 'trigger.reject.ana'): Promise<OpenedView> {
  const card = h.onlyCard();
  const response = await h.click(PEOPLE.ana, ACTION.reject, '1:1', { channel: card.channel, messageTs: card.ts, triggerId });
  expect(response.status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the reject modal');
  const opened = h.standIn.openedViews();
  expect(opened).toHaveLength(1);
  const modal = opened[0];
  if (!modal) throw new Error('no modal');
  return modal;
}

test('the Reject button opens the reason modal for this moment and records nothing yet', async () => {
  const modal = await openRejectModal('trigger.reject.1');
  await h.settle();

  expect(modal.triggerId).toBe('trigger.reject.1');
  expect(modal.view.callback_id).toBe(VIEW.reject);
  expect(JSON.parse(String(modal.view.private_metadata))).toMatchObject({ momentId: 1, revision: 1 });
  expect(JSON.stringify(modal.view.blocks)).toContain(FIELD.reason.input);
  expect(h.countRows('decisions')).toBe(0);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
});

test.each([
  ['on the card', false],
  ['in App Home', true],
])('pressing Reject %s when Slack does not open the form tells the reviewer so, and records nothing', async (_where, inHome) => {
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first, then the world');
  await h.settle();
  h.standIn.inject({ method: 'views.open', times: 1, fault: { kind: 'slack_error', error: 'expired_trigger_id' } });
  const response = await h.click(PEOPLE.ana, ACTION.reject, '1:1:0', { triggerId: 'trigger.reject.expired', ...(inHome ? { inHome: true } : {}) });
  expect(response.status).toBe(200);
  const told = () => [...h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => String(r.body.text)), ...h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).map((m) => m.text)];
  // (by DM for a press in App Home, which names the moment)
  await h.standIn.waitFor(() => told().some((text) => text.endsWith(DECISION_FORM_NOT_OPENED)), 3000, 'the answer to the reviewer');
  if (inHome) expect(told().find((text) => text.endsWith(DECISION_FORM_NOT_OPENED))).toMatch(/^Moment #1 \*Monday mood\*: /);
  expect(h.countRows('decisions')).toBe(0);
});

test('submitting a reason closes the modal, rejects the moment, logs the reason and shows it escaped on the card', async () => {
  const modal = await openRejectModal();

  const answer = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues(REASON), String(modal.view.private_metadata));
  await h.settle();

  expect(answer).toEqual({ status: 200, text: '' });
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'rejected', by: PEOPLE.ana, comment: REASON });
  const db = new Database(h.databasePath, { readonly: true });
  try {
    const rows = db.prepare('SELECT user_id, role, action, comment FROM decisions WHERE moment_id = 1').all();
    expect(rows).toEqual([{ user_id: PEOPLE.ana, role: 'brand', action: 'reject', comment: REASON }]);
  } finally {
    db.close();
  }

  const card = h.onlyCard();
  const blocks = JSON.stringify(card.blocks);
  expect(card.updates).toBeGreaterThan(0);
  expect(blocks).toContain('*Rejected*');
  expect(blocks).toContain('Too close to &lt;!here&gt; &amp; the \\"recall\\" news; ask &lt;@U0LEO&gt; first');
  expect(blocks).not.toContain('<!here>');
  expect(blocks).not.toContain(ACTION.approve);
  expect(blocks).not.toContain(ACTION.reject);

  const toFlagger = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger));
  expect(toFlagger).toHaveLength(1);
  expect(toFlagger[0]?.text).toContain('was rejected by <@U0ANA>');
  expect(toFlagger[0]?.text).toContain('&lt;!here&gt;');
  expect(toFlagger[0]?.text).not.toContain('<!here>');

  const anaDm = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana));
  expect(anaDm[0]?.updates).toBeGreaterThan(0);
  expect(JSON.stringify(anaDm[0]?.blocks)).not.toContain(ACTION.approve);
});

test('submitting without a reason shows an error on the reason field and records nothing', async () => {
  const modal = await openRejectModal();
  const before = h.onlyCard();

  const answer = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues(null), String(modal.view.private_metadata));
  await h.settle();

  expect(answer.status).toBe(200);
  const body: unknown = JSON.parse(answer.text);
  expect(body).toEqual({ response_action: 'errors', errors: { reason: expect.stringContaining('reason is required') } });
  expect(h.countRows('decisions')).toBe(0);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  expect(h.onlyCard().updates).toBe(before.updates);
  expect(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger))).toHaveLength(0);
});

test('a reason of only whitespace counts as no reason', async () => {
  const modal = await openRejectModal();

  const answer = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues('  \n\t  '), String(modal.view.private_metadata));
  await h.settle();

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { reason: expect.any(String) } });
  expect(h.countRows('decisions')).toBe(0);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
});

test.each([
  ['zero-width spaces', '\u200b\u200b'],
  ['Hangul fillers', '\u3164 \u3164'],
  ['a byte order mark and a word joiner', '\ufeff\u2060'],
])('a reason of only %s, which show nothing, counts as no reason', async (_kind, reason) => {
  const modal = await openRejectModal();

  const answer = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues(reason), String(modal.view.private_metadata));
  await h.settle();

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { reason: expect.any(String) } });
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
});

test('after an error the same modal can be submitted again with a reason', async () => {
  const modal = await openRejectModal();
  const viewId = 'V0REJECTAGAIN';

  await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues(''), String(modal.view.private_metadata), viewId);
  const second = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues('Off brand'), String(modal.view.private_metadata), viewId);
  await h.settle();

  expect(second).toEqual({ status: 200, text: '' });
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'rejected', comment: 'Off brand' });
});

test('a reject submitted after the moment was approved is refused in the modal and not recorded', async () => {
  const modal = await openRejectModal();
  await h.click(PEOPLE.bea, ACTION.approve, '1:1');
  await h.settle();

  const answer = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues('Off brand'), String(modal.view.private_metadata));
  await h.settle();

  // (a modal's error is plain text: a mention would show as its raw code, so it says the name)
  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { reason: 'Already approved by bea. Nothing more to decide.' } });
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
  expect(h.app.store.reviews.decisions(1).map((d) => d.action)).toEqual(['approve']);
});

test('a refused reject submitted again from the same form is answered again, not closed as a replay', async () => {
  // given a reject refused in the modal because the moment was approved meanwhile
  const modal = await openRejectModal();
  await h.click(PEOPLE.bea, ACTION.approve, '1:1');
  await h.settle();
  const viewId = 'V0SAMEFORM';
  const first = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues('Off brand'), String(modal.view.private_metadata), viewId);
  // when the reviewer presses Submit again on the same form
  const second = await h.submitView(PEOPLE.ana, VIEW.reject, reasonValues('Off brand, really'), String(modal.view.private_metadata), viewId);
  await h.settle();
  // then both get the refusal in the form (a closed form would have looked like a recorded reject)
  const refusal = { response_action: 'errors', errors: { reason: 'Already approved by bea. Nothing more to decide.' } };
  expect(JSON.parse(first.text)).toEqual(refusal);
  expect(JSON.parse(second.text)).toEqual(refusal);
  expect(h.app.store.reviews.decisions(1).map((d) => d.action)).toEqual(['approve']);
  expect(h.countRows('seen')).toBe(2);
});

test('an outsider submitting a forged reject modal is refused and nothing is recorded', async () => {
  const metadata = JSON.stringify({ momentId: 1, revision: 1 });

  const answer = await h.submitView(PEOPLE.outsider, VIEW.reject, reasonValues('I say no'), metadata);
  await h.settle();

  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { reason: expect.stringContaining('not yours') } });
  expect(h.countRows('decisions')).toBe(0);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
});

test('pressing Reject on a moment that was already approved answers so and opens no modal', async () => {
  await h.click(PEOPLE.bea, ACTION.approve, '1:1');
  await h.settle();

  await h.click(PEOPLE.ana, ACTION.reject, '1:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.ana}`).length > 0, 3000, 'the answer to the late Reject');
  await h.settle();

  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => r.body.text)).toEqual([`Already approved by <@${PEOPLE.bea}>. Nothing more to decide.`]);
  expect(h.standIn.openedViews()).toHaveLength(0);
  expect(h.countRows('decisions')).toBe(1);
});

test('pressing Reject on a card whose moment is not in the database (a restored backup) answers so', async () => {
  await h.click(PEOPLE.ana, ACTION.reject, '99:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.ana}`).length > 0, 3000, 'the answer to the Reject');

  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => r.body.text)).toEqual(['That moment no longer exists.']);
  expect(h.standIn.openedViews()).toHaveLength(0);
});
