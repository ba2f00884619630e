import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { openForm, submittedAsOpened } from '../helpers/forms';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The due times (epoch seconds of `<!date^…>` tokens) a message shows. */
function dueTimes(blocks: unknown): number[] {
  return [...JSON.stringify(blocks).matchAll(/<!date\^(\d+)\^/g)].map((m) => Number(m[1]));
}

test('a reviewer left behind by an escalation is not shown a due time the moment has moved past, after a request for changes and a revision', async () => {
  // given a moment for brand (ana, bea) that ana escalates to the leads at once
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.escalate, '1:1:0');
  await h.settle();
  // when the lead asks for changes 10 minutes on, and the flagger sends a revision 15 minutes after that
  h.advance(10 * 60_000);
  const ask = await openForm(h, PEOPLE.lead, ACTION.requestChanges, '1:1:1');
  const changes: ViewValues = { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Darker' } } };
  await h.submitView(PEOPLE.lead, VIEW.requestChanges, changes, String(ask.view.private_metadata));
  await h.settle();
  h.advance(15 * 60_000);
  const revise = await openForm(h, PEOPLE.flagger, ACTION.revise, '1:1:1');
  const copy = submittedAsOpened(revise, { [FIELD.copy.block]: 'Dunk in the darker dark' });
  await h.submitView(PEOPLE.flagger, VIEW.revise, copy, String(revise.view.private_metadata));
  await h.settle();
  // then the card shows the revision's window, and so does every DM that shows a due time at all (bea's, left behind at
  // brand, said "Its reviewers decide by" the leads' first window, 10 minutes past by now)
  const moment = h.app.store.moments.get(1);
  expect(moment?.state.status).toBe('pending');
  const due = Math.floor((moment?.dueAt ?? 0) / 1000);
  const card = h.standIn.messages(REVIEW_CHANNEL).find((m) => m.threadTs === undefined);
  expect(dueTimes(card?.blocks)).toEqual([due]);
  for (const reviewer of [PEOPLE.ana, PEOPLE.bea]) {
    for (const dm of h.standIn.messages(h.standIn.dmChannelFor(reviewer))) {
      for (const shown of dueTimes(dm.blocks)) expect(shown).toBe(due);
    }
  }
});
