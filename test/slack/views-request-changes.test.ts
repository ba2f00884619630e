import type { OpenedView } from '../../src/sandbox/slack-stand-in';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, startHarness, TEST_ROUTING, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';
import { STORE_UNREAD_MESSAGE } from '../../src/slack/unsaved-answer';

/**
 * Request changes… and Revise…: a reviewer asks for a new revision (what should change is required), the flagger
 * edits the moment from the DM or the card, the reviewers are asked again and approvals of the old copy stop counting.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  // a crisis moment: cal (comms) and leo (legal) must both approve
  await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"');
  await h.settle();
});
afterEach(async () => {
  await h.close();
});

const ASK = 'Say <!channel> "batch 42" & "voluntary"';

function changesValues(comment: string | null): ViewValues {
  return { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: comment } } };
}

/** The values a modal submits as it opened (each field's initial value), with `edits` typed over them. */
function submittedAsOpened(modal: OpenedView, edits: Partial<Record<'title' | 'copy' | 'link' | 'urgency', string>>): ViewValues {
  const values: ViewValues = {};
  for (const block of modal.view.blocks as { type: string; block_id?: string; element?: Record<string, unknown> }[]) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const field = (Object.keys(FIELD) as (keyof typeof FIELD)[]).find((name) => FIELD[name].block === block.block_id);
    if (!field) continue;
    const { type, action_id: actionId, initial_value: initial, initial_option: option } = block.element as {
      type: string;
      action_id: string;
      initial_value?: string;
      initial_option?: { value: string };
    };
    const edited = edits[field as keyof typeof edits];
    values[block.block_id] = {
      [actionId]:
        type === 'radio_buttons' ? { type, selected_option: { value: edited ?? option?.value ?? 'normal' } } : { type, value: edited ?? initial ?? null },
    };
  }
  return values;
}

/** `userId` presses `action` on moment 1 and the modal it opens is returned. */
async function openModal(userId: string, action: string, triggerId: string, value = '1:1'): Promise<OpenedView> {
  const before = h.standIn.openedViews().length;
  expect((await h.click(userId, action, value, { triggerId })).status).toBe(200);
  await h.standIn.waitFor(() => h.standIn.openedViews().length > before, 3000, `the modal of ${action}`);
  const modal = h.standIn.openedViews().at(-1);
  if (!modal) throw new Error('no modal');
  return modal;
}

async function requestChanges(comment: string): Promise<void> {
  const modal = await openModal(PEOPLE.leo, ACTION.requestChanges, 'trigger.changes.leo');
  expect(modal.view.callback_id).toBe(VIEW.requestChanges);
  const answer = await h.submitView(PEOPLE.leo, VIEW.requestChanges, changesValues(comment), String(modal.view.private_metadata));
  expect(answer).toEqual({ status: 200, text: '' });
  await h.settle();
}

function cardBlocks(): string {
  const ts = h.app.store.moments.card(1)?.ts;
  return JSON.stringify(h.standIn.messages(CRISIS_CHANNEL).find((m) => m.ts === ts)?.blocks);
}

const dmsTo = (userId: string) => h.standIn.messages(h.standIn.dmChannelFor(userId));

test('a reviewer asks for changes: the flagger gets what to change with Revise…, the card waits for the revision, approving is refused', async () => {
  // given cal approved already
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  // when leo asks for changes
  await requestChanges(ASK);
  // then the moment waits for a revision, with the request in the decision log
  expect(h.app.store.moments.get(1)?.state).toEqual({ status: 'changes_requested', by: PEOPLE.leo, comment: ASK });
  expect(h.app.store.reviews.decisions(1).map((d) => [d.userId, d.action, d.comment ?? null])).toEqual([
    [PEOPLE.cal, 'approve', null],
    [PEOPLE.leo, 'request_changes', ASK],
  ]);
  // and the flagger's DM says what to change, escaped, with a Revise… button
  const toFlagger = dmsTo(PEOPLE.flagger).map((m) => JSON.stringify(m.blocks) + m.text);
  const asked = toFlagger.find((dm) => dm.includes('asked for changes'));
  expect(asked).toContain(ACTION.revise);
  expect(asked).toContain('&lt;!channel&gt;');
  expect(asked).not.toContain('<!channel>');
  // and the card says changes are requested, offering only Revise… and Withdraw
  expect(cardBlocks()).toContain('*Changes requested*');
  expect(cardBlocks()).toContain(ACTION.revise);
  expect(cardBlocks()).not.toContain(ACTION.approve);
  // and the reviewers' DMs no longer offer buttons (nothing to approve until the revision)
  for (const reviewer of [PEOPLE.cal, PEOPLE.leo]) {
    const dms = dmsTo(reviewer);
    expect(dms.length).toBeGreaterThan(0);
    for (const dm of dms) expect(JSON.stringify(dm.blocks)).not.toContain(ACTION.approve);
    expect(JSON.stringify(dms[0]?.blocks)).toContain('is revising it, and you will be asked again');
  }
  // and an approval meanwhile is refused, nothing recorded
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  expect(h.standIn.responses(`click-${PEOPLE.cal}`).map((r) => String(r.body.text)).join()).toContain('Changes were requested');
  expect(h.app.store.reviews.decisions(1)).toHaveLength(2);
});

test("a link in a request for changes can be opened from the flagger's DM and the card: it is made a link, nothing else is", async () => {
  // when leo asks for changes pointing at an asset, with a mention typed beside it
  await requestChanges('Use this photo instead: https://drive.example.com/asset/42. Not <!channel>');
  // then the flagger's DM and the card link the URL (a phone opens it with a tap), and the mention stays inert
  const toFlagger = dmsTo(PEOPLE.flagger).map((m) => JSON.stringify(m.blocks)).find((dm) => dm.includes('asked for changes')) ?? '';
  for (const shown of [toFlagger, cardBlocks()]) {
    expect(shown).toContain('> Use this photo instead: <https://drive.example.com/asset/42>. Not &lt;!channel&gt;');
  }
});

test('the flagger revises from the modal: a new revision, reviewers asked again, the old approval no longer counts', async () => {
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.settle();
  await requestChanges(ASK);
  // when the flagger presses Revise… (on the DM), the modal opens with the moment as it is
  const modal = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.flagger');
  expect(modal.view.callback_id).toBe(VIEW.revise);
  const opened = JSON.stringify(modal.view.blocks);
  expect(opened).toContain('We are recalling batch 42');
  expect(opened).toContain('&lt;!channel&gt;');
  // and submits a new copy, urgent now
  const copy = 'We are voluntarily recalling batch 42';
  const answer = await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(modal, { copy, urgency: 'high' }), String(modal.view.private_metadata));
  expect(answer).toEqual({ status: 200, text: '' });
  await h.settle();
  // then the moment is pending again at revision 2 with the new copy
  const moment = h.app.store.moments.get(1);
  expect(moment).toMatchObject({ revision: 2, state: { status: 'pending' }, content: { copy, urgency: 'high', title: 'Recall notice' } });
  // and both reviewers are asked again; cal's approval of revision 1 no longer counts
  expect(JSON.stringify(dmsTo(PEOPLE.cal).at(-1)?.blocks)).toContain('posted revision 2');
  expect(JSON.stringify(dmsTo(PEOPLE.leo).at(-1)?.blocks)).toContain('posted revision 2');
  // and each new DM is posted as it should read, not updated to the same words at once; the old ones say they were replaced
  for (const reviewer of [PEOPLE.cal, PEOPLE.leo]) {
    const [old, fresh] = [dmsTo(reviewer).at(-2), dmsTo(reviewer).at(-1)];
    const updatesOf = (ts: string | undefined) => h.standIn.callsTo('chat.update').filter((c) => c.params.ts === ts);
    expect(updatesOf(fresh?.ts)).toEqual([]);
    expect(JSON.stringify(updatesOf(old?.ts).at(-1)?.params.blocks)).toContain('revision 2');
  }
  expect(cardBlocks()).toContain('*comms* 0/1');
  expect(cardBlocks()).toContain(copy);
  // and the new revision is decided as any: both approve it
  await h.click(PEOPLE.cal, ACTION.approve, '1:2');
  await h.click(PEOPLE.leo, ACTION.approve, '1:2');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved' });
});

test('a revision that leaves a long copy untouched keeps it whole, though the field showed it shortened', async () => {
  // given a moment whose copy is longer than the copy field can show
  const long = `${'Batch 42 & 43 are recalled. '.repeat(150)}End.`;
  h.app.store.transaction(() => h.app.store.moments.save({ ...h.app.store.moments.get(1)!, content: { title: 'Recall', copy: long, link: undefined, urgency: 'normal' } }, h.now()));
  await requestChanges('Shorter title, please');
  // when the flagger changes the title only
  const modal = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.long');
  expect(JSON.stringify(modal.view.blocks)).toContain('longer than this field shows');
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(modal, { title: 'Batch recall' }), String(modal.view.private_metadata));
  await h.settle();
  // then the whole copy is kept
  expect(h.app.store.moments.get(1)?.content).toEqual({ title: 'Batch recall', copy: long.trim(), link: undefined, urgency: 'normal' });
});

test('what should change is required, and an empty title in the revision is shown next to the field', async () => {
  const modal = await openModal(PEOPLE.leo, ACTION.requestChanges, 'trigger.changes.empty');
  const empty = await h.submitView(PEOPLE.leo, VIEW.requestChanges, changesValues('   '), String(modal.view.private_metadata));
  expect(JSON.parse(empty.text)).toEqual({ response_action: 'errors', errors: { [FIELD.changes.block]: expect.stringContaining('what should change') } });
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');

  await requestChanges(ASK);
  const revise = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.empty');
  const noTitle = await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(revise, { title: '' }), String(revise.view.private_metadata));
  expect(JSON.parse(noTitle.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: expect.any(String) } });
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 1, state: { status: 'changes_requested' } });
});

test('only an assigned reviewer asks for changes, and only the flagger revises: the others are told, no modal opens', async () => {
  // an outsider's Request changes… is not theirs
  await h.click(PEOPLE.outsider, ACTION.requestChanges, '1:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.outsider}`).length > 0, 3000, "the outsider's answer");
  expect(String(h.standIn.responses(`click-${PEOPLE.outsider}`)[0]?.body.text)).toContain('not yours');
  // a Revise… before anyone asked for changes is refused, even to the flagger
  await h.click(PEOPLE.flagger, ACTION.revise, '1:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.flagger}`).length > 0, 3000, "the flagger's answer");
  expect(String(h.standIn.responses(`click-${PEOPLE.flagger}`)[0]?.body.text)).toContain('Nobody asked for changes');
  // once changes are asked, a reviewer's Revise… is refused: only the flagger edits
  await requestChanges(ASK);
  await h.click(PEOPLE.cal, ACTION.revise, '1:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.cal}`).length > 0, 3000, "cal's answer");
  expect(String(h.standIn.responses(`click-${PEOPLE.cal}`)[0]?.body.text)).toContain('Only the person who flagged');
  // and a forged revise modal from someone else is refused in the modal, nothing changed
  const forged = await h.submitView(
    PEOPLE.outsider,
    VIEW.revise,
    { [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Mine now' } }, [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: 'Hijacked' } } },
    JSON.stringify({ momentId: 1, revision: 1 }),
  );
  expect(JSON.parse(forged.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: expect.stringContaining('Only the person who flagged') } });
  expect(h.standIn.openedViews().filter((v) => v.view.callback_id === VIEW.revise)).toHaveLength(0);
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 1, content: { title: 'Recall notice' } });
});

test('a request for changes submitted after the moment was decided is refused in the modal', async () => {
  const modal = await openModal(PEOPLE.leo, ACTION.requestChanges, 'trigger.changes.late');
  await h.click(PEOPLE.cal, ACTION.approve, '1:1');
  await h.click(PEOPLE.leo, ACTION.approve, '1:1');
  await h.settle();
  const late = await h.submitView(PEOPLE.leo, VIEW.requestChanges, changesValues(ASK), String(modal.view.private_metadata));
  expect(JSON.parse(late.text)).toEqual({ response_action: 'errors', errors: { [FIELD.changes.block]: expect.stringContaining('Already approved') } });
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
});

test('a Revise… form opened before a later revision is refused, so an old form cannot undo a newer revision', async () => {
  // given changes asked, and the flagger opening Revise… twice (phone and desktop)
  await requestChanges(ASK);
  const phone = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.phone');
  const desktop = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.desktop');
  // when the desktop form makes revision 2, and leo asks for changes again
  const copy = 'We are voluntarily recalling batch 42';
  expect(await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(desktop, { copy }), String(desktop.view.private_metadata))).toEqual({ status: 200, text: '' });
  await h.settle();
  const again = await openModal(PEOPLE.leo, ACTION.requestChanges, 'trigger.changes.again', '1:2');
  await h.submitView(PEOPLE.leo, VIEW.requestChanges, changesValues('Add the hotline number'), String(again.view.private_metadata));
  await h.settle();
  // then the phone's form, opened on revision 1, is refused in the form and changes nothing
  const late = await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(phone, {}), String(phone.view.private_metadata));
  expect(JSON.parse(late.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: expect.stringContaining('revision 1') } });
  expect(h.app.store.moments.get(1)).toMatchObject({ revision: 2, state: { status: 'changes_requested' }, content: { copy } });
});

/** The flagger's DM that asked for changes, as it reads now (updates replace it in place). */
function requestDm(): string {
  const dm = dmsTo(PEOPLE.flagger).find((m) => m.text.includes('asked for changes'));
  if (!dm) throw new Error('no request DM');
  return JSON.stringify(dm.blocks);
}

test("the flagger's Revise… goes once it is answered: a revision, a withdrawal or the end say so in the same DM", async () => {
  // given changes asked: the DM offers Revise…
  await requestChanges(ASK);
  expect(requestDm()).toContain(ACTION.revise);
  // when the flagger revises from the card
  const modal = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.card');
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(modal, { copy: 'We are voluntarily recalling batch 42' }), String(modal.view.private_metadata));
  await h.settle();
  // then the request DM keeps the request (escaped) and says it was answered, with nothing left to press
  expect(requestDm()).not.toContain(ACTION.revise);
  expect(requestDm()).toContain('You sent a new revision');
  expect(requestDm()).toContain('&lt;!channel&gt;');
  // and when changes are asked on revision 2 and the flagger withdraws instead, that DM says it was withdrawn
  const again = await openModal(PEOPLE.leo, ACTION.requestChanges, 'trigger.changes.two', '1:2');
  await h.submitView(PEOPLE.leo, VIEW.requestChanges, changesValues('Add the hotline number'), String(again.view.private_metadata));
  await h.settle();
  const second = () => JSON.stringify(dmsTo(PEOPLE.flagger).find((m) => m.text.includes('hotline'))?.blocks);
  expect(second()).toContain(ACTION.revise);
  await h.click(PEOPLE.flagger, ACTION.withdraw, '1:2');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('withdrawn');
  expect(second()).not.toContain(ACTION.revise);
  expect(second()).toContain('*Withdrawn*');
  // and the first stays as it was settled
  expect(requestDm()).toContain('You sent a new revision');
});

test('a moment that expires waiting for the revision says no revision came in time, not that it was not approved', async () => {
  await requestChanges(ASK);
  // when the window for the revision runs out
  h.advance(h.app.store.moments.get(1)!.dueAt - h.now() + 1000);
  h.app.scanner.sweep();
  await h.settle();
  // then the moment expired, and the thread, the flagger's DMs and the card say why
  expect(h.app.store.moments.get(1)?.state.status).toBe('expired');
  const thread = h.standIn.messages(CRISIS_CHANNEL).filter((m) => m.threadTs !== undefined).map((m) => m.text);
  expect(thread.at(-1)).toContain('expired: no new revision came in time');
  expect(dmsTo(PEOPLE.flagger).map((m) => m.text)).toContainEqual(expect.stringContaining('expired: no new revision came in time'));
  expect(requestDm()).not.toContain(ACTION.revise);
  expect(requestDm()).toContain('no new revision came in time');
  expect(cardBlocks()).toContain('*Expired*: no new revision came in time');
  expect(cardBlocks()).not.toContain('not approved in time');
});

test('halfway through the window for the revision the flagger is reminded, with Revise…; the reviewers are not', async () => {
  await requestChanges(ASK);
  const reviewerDms = [PEOPLE.cal, PEOPLE.leo].map((r) => dmsTo(r).length);
  const flaggerDms = () => dmsTo(PEOPLE.flagger).filter((m) => m.text.startsWith('⏰ Reminder'));
  // (crisis: a 10 minute window, reminded at 50%)
  const halfway = h.app.store.moments.get(1)!.dueAt - 5 * 60_000;
  // when the window is just short of half gone, nothing yet
  h.advance(halfway - h.now() - 5_000);
  h.app.scanner.sweep();
  await h.settle();
  expect(flaggerDms()).toEqual([]);
  // when half the window has passed
  h.advance(10_000);
  h.app.scanner.sweep();
  await h.settle();
  // then the flagger has the request again as a reminder, with the due time and Revise…
  const reminder = dmsTo(PEOPLE.flagger).find((m) => m.text.startsWith('⏰ Reminder'));
  expect(reminder?.text).toContain('asked for changes');
  expect(JSON.stringify(reminder?.blocks)).toContain(ACTION.revise);
  expect(JSON.stringify(reminder?.blocks)).toContain('Send a new revision by');
  // and no reviewer got another DM
  expect([PEOPLE.cal, PEOPLE.leo].map((r) => dmsTo(r).length)).toEqual(reviewerDms);
  // and once the flagger revises, the reminder loses its button like the request
  const modal = await openModal(PEOPLE.flagger, ACTION.revise, 'trigger.revise.reminded');
  await h.submitView(PEOPLE.flagger, VIEW.revise, submittedAsOpened(modal, { copy: 'We are voluntarily recalling batch 42' }), String(modal.view.private_metadata));
  await h.settle();
  for (const dm of dmsTo(PEOPLE.flagger).filter((m) => m.text.includes('asked for changes'))) {
    expect(JSON.stringify(dm.blocks)).not.toContain(ACTION.revise);
  }
  // and the reminder still reads as one, without saying the revision is due
  const settled = JSON.stringify(flaggerDms()[0]?.blocks);
  expect(settled).toContain('Reminder of this request');
  expect(settled).not.toContain('still due');
});

test('with self-approval, the flagger who reviews is spoken to about their own moment, and their own revision is not pinged back to them', async () => {
  // given sports moments may be approved by their flagger, and ana (brand) flags one
  await h.close();
  h = await startHarness({ routingYaml: TEST_ROUTING.replace('  - name: sports\n    require: { brand: 1 }', '  - name: sports\n    require: { brand: 1 }\n    self_approval: true') });
  await h.command(PEOPLE.ana, 'Oreo: dunk in the dark #sports');
  await h.settle();
  const review = () => JSON.stringify(dmsTo(PEOPLE.ana)[0]?.blocks);
  // then her review DM speaks to her as the flagger
  expect(review()).toContain('You flagged this moment, and your own decision counts as *brand*.');
  // when bea asks for changes, her DM says what comes next for her, not that she is revising it
  const asked = await openModal(PEOPLE.bea, ACTION.requestChanges, 'trigger.changes.bea');
  await h.submitView(PEOPLE.bea, VIEW.requestChanges, changesValues('Less cheeky'), String(asked.view.private_metadata));
  await h.settle();
  expect(review()).toContain('Changes were requested: once you post a new revision, this message asks for your decision on it.');
  expect(review()).not.toContain('is revising it');
  // and when she posts the revision, nothing new is posted to her: that DM follows it, with the buttons
  const before = dmsTo(PEOPLE.ana).length;
  const modal = await openModal(PEOPLE.ana, ACTION.revise, 'trigger.revise.ana');
  await h.submitView(PEOPLE.ana, VIEW.revise, submittedAsOpened(modal, { copy: 'Dunk politely' }), String(modal.view.private_metadata));
  await h.settle();
  expect(dmsTo(PEOPLE.ana)).toHaveLength(before);
  expect(review()).toContain('Dunk politely');
  expect(review()).toContain(ACTION.approve);
  expect(JSON.stringify(dmsTo(PEOPLE.bea).at(-1)?.blocks)).toContain(`<@${PEOPLE.ana}> posted revision 2`);
  // and her approval from it counts
  await h.click(PEOPLE.ana, ACTION.approve, '1:2');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: PEOPLE.ana });
});

test('a revision submitted while the moment cannot be read is answered in the form, not left to Slack\'s timeout', async () => {
  // given cal asked for changes to the crisis moment
  expect((await h.submitView(PEOPLE.cal, VIEW.requestChanges, changesValues('Warmer, please'), JSON.stringify({ momentId: 1, revision: 1, tier: 0 }))).text).toBe('');
  await h.settle();
  // when the flagger submits a revision while the database fails to read
  h.app.store.moments.get = () => {
    throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
  };
  const revision: ViewValues = {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: 'Recall notice' } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: 'We are recalling batch 42, voluntarily' } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
  const answer = await h.submitView(PEOPLE.flagger, VIEW.revise, revision, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }));
  // then the form says so at once, next to its first field
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: STORE_UNREAD_MESSAGE } });
});
