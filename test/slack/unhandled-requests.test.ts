import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { signed, slashCommandPayload } from '../helpers/slack-requests';

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
