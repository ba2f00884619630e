import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { flagFormValues } from '../helpers/flag-shortcut';
import { openForm } from '../helpers/forms';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/** What a person sees first of their App Home on a phone: what needs them soonest. */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { action_id: string }[] };

async function homeBlocks(user: string, ts: string): Promise<Block[]> {
  const before = h.standIn.callsTo('views.publish').length;
  await h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: ts });
  await h.standIn.waitFor(() => h.standIn.callsTo('views.publish').length > before, 5000, 'the Home');
  return (h.standIn.homeView(user) as { blocks: Block[] }).blocks;
}

/** The "Waiting for you" part: its lines, and the moments listed with buttons. */
function waitingPart(blocks: Block[]): { lines: string[]; withButtons: string[] } {
  const waiting = blocks.slice(0, blocks.findIndex((b) => b.type === 'divider'));
  return {
    lines: waiting.flatMap((b) => (b.type === 'section' ? (b.text?.text ?? '').split('\n') : [])),
    withButtons: waiting.flatMap((b) => (b.type === 'actions' && b.block_id ? [b.block_id] : [])),
  };
}

test('a reviewer with more moments waiting than the Home lists is shown the one about to run out of time', async () => {
  // given a sports moment flagged 25 minutes ago: due in 5 minutes, when it escalates past brand
  await h.command(PEOPLE.flagger, 'Due soon: kickoff post #sports');
  await h.settle();
  h.advance(25 * 60_000);
  // and 20 newer ones, due in 30 minutes
  for (let i = 1; i <= 20; i += 1) await h.command(PEOPLE.flagger, `Later ${i}: go team #sports`);
  await h.settle();
  // when ana opens her Home
  const { lines, withButtons } = waitingPart(await homeBlocks(PEOPLE.ana, '1.1'));
  // then the moment she must decide first is listed, with its buttons (today it is only counted, last: "… and 1 more")
  expect(lines.some((l) => l.includes('Due soon'))).toBe(true);
  expect(withButtons).toContain('waiting:1');
});

test('an urgent moment is marked urgent in the Home, as its card and review DM mark it', async () => {
  // given a moment flagged Urgent in the form, then three ordinary ones
  const values = flagFormValues('Rival outage joke', 'We never go dark', 'sports');
  values[FIELD.urgency.block] = { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'high' } } };
  await h.submitView(PEOPLE.flagger, VIEW.flag, values, JSON.stringify({ channel: 'C0GENERAL' }));
  for (let i = 1; i <= 3; i += 1) await h.command(PEOPLE.flagger, `Post ${i}: go team #sports`);
  await h.settle();
  expect(JSON.stringify(h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana))[0]?.blocks)).toContain('Urgent');
  // when ana opens her Home
  const { lines } = waitingPart(await homeBlocks(PEOPLE.ana, '1.1'));
  // then its line says it is urgent (today: unmarked, and listed last, under the three ordinary ones)
  expect(lines.find((l) => l.includes('Rival outage joke'))).toContain('Urgent');
});

test('a flagger whose revision is due sees it first in their Home, not under newer moments that wait on others', async () => {
  // given ana asked for changes on the flagger's moment #1, and the flagger flagged three more since
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  const ask = await openForm(h, PEOPLE.ana, ACTION.requestChanges, '1:1:0');
  await h.submitView(PEOPLE.ana, VIEW.requestChanges, { [FIELD.changes.block]: { [FIELD.changes.input]: { type: 'plain_text_input', value: 'Name the team' } } }, String(ask.view.private_metadata));
  for (let i = 1; i <= 3; i += 1) await h.command(PEOPLE.flagger, `Post ${i}: go team #sports`);
  await h.settle();
  // when the flagger opens their Home
  const blocks = await homeBlocks(PEOPLE.flagger, '1.1');
  // then the first buttons it shows are the revision's (today: "Nothing needs your decision right now", then three
  // Escalate/Withdraw rows, and Revise… fourth)
  expect(blocks.find((b) => b.type === 'actions')?.elements?.map((e) => e.action_id)).toContain(ACTION.revise);
  // and the top of it, where nothing waits on their decision, says a revision is asked of them
  expect(blocks.find((b) => b.type === 'section')?.text?.text).toContain('changes are asked of you');
});
