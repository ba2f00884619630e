import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { ACTION, VIEW } from '../../src/slack/ids';
import { blockActionPayload, signed, slashCommandPayload, viewSubmissionPayload } from '../helpers/slack-requests';

/**
 * A command, shortcut, button or form none of Greenlight's listeners takes (the command renamed in the app's settings,
 * a callback id changed) is answered at once and logged by its id: Bolt let Slack's 3 s run out, and the log blamed a
 * slow answer.
 */

let h: Harness;
let lines: string[];
beforeEach(async () => {
  lines = [];
  h = await startHarness({ logLines: lines });
});
afterEach(async () => {
  await h.close();
});

const FORM = 'application/x-www-form-urlencoded';
const asPayload = (payload: Record<string, unknown>) => signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
const warnings = () => lines.filter((line) => line.includes('"level":"warn"'));

test('a slash command other than /moment is answered at once with the command to use, and logged by its name', async () => {
  // given the operator renamed /moment to /flag in the app's settings; when someone runs it
  const payload = slashCommandPayload(PEOPLE.flagger, 'Oreo: dunk it');
  payload.command = '/flag';
  const answer = await h.post(signed(new URLSearchParams(payload).toString(), FORM));
  // then they are told what Greenlight answers to (not Slack's timeout), and the log names the command
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ response_type: 'ephemeral', text: 'Greenlight answers to `/moment`, not `/flag`: try `/moment help`.' });
  expect(warnings()).toEqual([expect.stringContaining('"id":"/flag"')]);
  expect(warnings()[0]).toContain("check that the Slack app's settings match manifest.json");
  expect(h.countOpenMoments()).toBe(0);
});

test('a shortcut, a button and a form with ids Greenlight does not know are answered at once and logged by their ids', async () => {
  const base = { team: { id: 'T0SANDBOX', domain: 'greenlight-sandbox' }, user: { id: PEOPLE.flagger, name: 'flagger' }, token: 'legacy', trigger_id: 'trigger.1' };
  const requests = [
    { ...base, type: 'message_action', callback_id: 'flag_message', channel: { id: 'C0GENERAL' }, message: { type: 'message', ts: '1.000100', text: 'outage' }, message_ts: '1.000100', response_url: h.standIn.responseUrl('sc') },
    { ...base, type: 'block_actions', actions: [{ action_id: 'moment_archive', type: 'button', value: '1:1', action_ts: '1.1' }], response_url: h.standIn.responseUrl('ba') },
    { ...base, type: 'view_submission', view: { id: 'V1', callback_id: 'moment_feedback_modal', private_metadata: '', state: { values: {} } } },
  ];
  for (const payload of requests) {
    const answer = await h.post(asPayload(payload));
    expect(answer).toEqual({ status: 200, text: '' });
  }
  expect(warnings().map((line) => (JSON.parse(line) as { kind: string; id: string })).map(({ kind, id }) => `${kind} ${id}`)).toEqual([
    'shortcut flag_message',
    'button moment_archive',
    'form moment_feedback_modal',
  ]);
});

describe('a request Greenlight takes but cannot read (what Slack always sends is missing)', () => {
  const flagFirst = async () => {
    await h.command(PEOPLE.flagger, 'Recall notice: "We are recalling batch 42"'); // crisis: comms (cal) 1 + legal (leo) 1
    await h.settle();
  };
  const reasons = () => warnings().map((line) => (JSON.parse(line) as { reason?: string }).reason);

  test('presses without a trigger are answered at once and recorded under no key: a later one is not taken for a replay', async () => {
    // given a moment; when cal and then leo press Approve in payloads without trigger_id
    await flagFirst();
    for (const userId of [PEOPLE.cal, PEOPLE.leo]) {
      const payload = blockActionPayload(userId, ACTION.approve, '1:1:0');
      delete payload.trigger_id;
      expect(await h.post(asPayload(payload))).toEqual({ status: 200, text: '' });
    }
    await h.settle();
    // then each is logged with why, and neither is recorded (nor swallows the other as a "duplicate")
    expect(reasons()).toEqual(['button press without its trigger or user', 'button press without its trigger or user']);
    expect(h.countRows('decisions')).toBe(0);
    expect(h.countRows('seen')).toBe(1);
    // and leo's well-formed press is recorded as usual
    await h.click(PEOPLE.leo, ACTION.approve, '1:1:0');
    await h.settle();
    expect(h.app.store.reviews.decisions(1).map((d) => d.userId)).toEqual([PEOPLE.leo]);
  });

  test.each([
    ['a press with no action', 'button press without an action', () => ({ ...blockActionPayload(PEOPLE.cal, ACTION.approve, '1:1:0'), actions: [] })],
    [
      'a form with no values',
      'form without its values',
      () => {
        const payload = viewSubmissionPayload(PEOPLE.leo, VIEW.reject, {}, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }));
        return { ...payload, view: { ...(payload.view as Record<string, unknown>), state: undefined } };
      },
    ],
    [
      'a form with no id',
      'form without its id or user',
      () => {
        const payload = viewSubmissionPayload(PEOPLE.leo, VIEW.reject, {}, JSON.stringify({ momentId: 1, revision: 1, tier: 0 }));
        return { ...payload, view: { ...(payload.view as Record<string, unknown>), id: undefined } };
      },
    ],
  ])('%s is answered at once, logged with why, and changes nothing', async (_case, reason, payload) => {
    await flagFirst();
    const started = Date.now();
    const answer = await h.post(asPayload(payload()));
    await h.settle();
    expect(answer).toEqual({ status: 200, text: '' });
    // Well inside the 3 s after which Bolt answers a request no listener acknowledged.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(reasons()).toEqual([reason]);
    expect(h.countRows('decisions')).toBe(0);
    expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  });

  test('a slash command without its trigger is answered at once and flags nothing', async () => {
    const payload = slashCommandPayload(PEOPLE.flagger, 'Oreo: dunk it');
    delete payload.trigger_id;
    expect(await h.post(signed(new URLSearchParams(payload).toString(), FORM))).toEqual({ status: 200, text: '' });
    await h.settle();
    expect(reasons()).toEqual(['slash command without its trigger or user']);
    expect(h.countOpenMoments()).toBe(0);
  });
});
