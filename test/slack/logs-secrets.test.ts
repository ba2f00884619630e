import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { BOT_TOKEN, signed, SIGNING_SECRET, slashCommandBody } from '../helpers/slack-requests';

/** Logs carry momentId, userId and action, never the bot token or the signing secret (DESIGN §7, STYLE house rules). */


let h: Harness;
let lines: string[];
beforeEach(async () => {
  lines = [];
  h = await startHarness({ logLines: lines });
});
afterEach(async () => {
  await h.close();
});

interface LogLine {
  readonly msg?: unknown;
  readonly momentId?: unknown;
  readonly userId?: unknown;
  readonly action?: unknown;
}

function parsed(): LogLine[] {
  return lines.map((line) => JSON.parse(line) as LogLine);
}

test('a flag, an approval and a forged request are logged without the bot token or the signing secret', async () => {
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first');
  await h.settle();
  await h.click(PEOPLE.ana, ACTION.approve, '1:1');
  await h.settle();
  const forged = signed(slashCommandBody(PEOPLE.outsider, 'let me in'), 'application/x-www-form-urlencoded', Math.floor(Date.now() / 1000), 'a-guessed-signing-secret-000000');
  expect((await h.post(forged)).status).toBe(401);
  await h.settle();

  // The run was logged (so the check below is not vacuous) …
  const logged = parsed();
  expect(logged).toContainEqual(expect.objectContaining({ msg: 'moment flagged', momentId: 1, userId: PEOPLE.flagger, action: 'flag' }));
  expect(logged).toContainEqual(expect.objectContaining({ msg: 'decision recorded', momentId: 1, userId: PEOPLE.ana, action: 'approve' }));
  expect(logged).toContainEqual(expect.objectContaining({ msg: 'request refused: bad signature' }));
  // … and no line holds a secret, whole or as its distinctive part.
  for (const line of lines) {
    expect(line).not.toContain(BOT_TOKEN);
    expect(line).not.toContain('greenlightTestToken');
    expect(line).not.toContain(SIGNING_SECRET);
    // Nothing even tried to: the logger's redaction is a safety net, not what keeps secrets out.
    expect(line).not.toContain('[redacted]');
  }
});

test('a failing Slack call is logged without the token it was made with', async () => {
  h.standIn.inject({ method: 'chat.postMessage', times: 1, fault: { kind: 'slack_error', error: 'invalid_auth' } });

  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first');
  await h.settle();

  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).toContain('invalid_auth');
  for (const line of lines) {
    expect(line).not.toContain(BOT_TOKEN);
    expect(line).not.toContain(SIGNING_SECRET);
  }
});

test('a press that opens a form logs neither its response_url nor its trigger_id, even at debug, and the form does not carry them', async () => {
  // given Greenlight logs at debug (the harness's level), where the Slack client writes the bodies it sends and gets
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first');
  await h.settle();
  const responseUrl = h.standIn.responseUrl('RESPONSE-URL-SECRET-PATH');
  // when a reviewer presses Reject… and the form opens
  await h.click(PEOPLE.ana, ACTION.reject, '1:1', { responseUrl, triggerId: 'TRIGGER-ID-SECRET' });
  await h.standIn.waitFor(() => h.standIn.openedViews().length > 0, 3000, 'the reject form');
  await h.settle();
  // then the form's body was logged (so the check is not vacuous), without either
  expect(lines.some((line) => line.includes('views.open') || line.includes('Reject this moment?'))).toBe(true);
  expect(lines.filter((line) => line.includes('RESPONSE-URL-SECRET-PATH') || line.includes('TRIGGER-ID-SECRET'))).toEqual([]);
  // and the form itself never held the response_url: its submit answers in the form
  expect(JSON.stringify(h.standIn.openedViews())).not.toContain('RESPONSE-URL-SECRET-PATH');
});
