import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import { blockActionPayload, viewSubmissionPayload, type ViewValues } from '../helpers/slack-requests';
import { startSocketRig, type SocketRig } from '../helpers/socket-rig';

/**
 * A request being handled when Greenlight stops (SIGTERM) is given up to 3 s to be answered over HTTP (README, "Stops
 * on time"). Over Socket Mode the same request must be answered too, and so must one in flight when Slack asks for a
 * routine reconnect. The request here: Bea submits a reject form on a moment Ana approved meanwhile; the form's refusal
 * waits up to 1 s for the name of whoever decided (users.info, made slow), so it is in flight for about a second.
 */

const REASON: ViewValues = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'off brand' } } };
const METADATA = JSON.stringify({ momentId: 1, revision: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("HTTP", () => {
  let h: Harness;
  afterEach(async () => {
    await h.standIn.close();
  });

  test('stopping while a form submission is being answered still answers it', async () => {
    h = await startHarness();
    await h.command(PEOPLE.flagger, 'Oreo: dunk #sports');
    await h.settle();
    await h.click(PEOPLE.ana, ACTION.approve, '1:1', { messageTs: h.onlyCard().ts });
    await h.settle();
    h.standIn.inject({ method: 'users.info', fault: { kind: 'slow', delayMs: 2000 } });
    const submitted = h.submitView(PEOPLE.bea, VIEW.reject, REASON, METADATA);
    await sleep(300);
    const stopping = h.app.stop();
    const answer = await submitted;
    await stopping;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ response_action: 'errors', errors: { [FIELD.reason.block]: expect.stringContaining('Already approved') } });
  });
});

describe('Socket Mode', () => {
  let rig: SocketRig;
  afterEach(async () => {
    await rig.close();
  });

  async function approvedThenSlowRefusal(): Promise<{ answer: Promise<unknown> }> {
    rig = await startSocketRig();
    await rig.command(PEOPLE.flagger, 'Oreo: dunk #sports');
    await rig.settle();
    await rig.standIn.sendSocketEnvelope('interactive', blockActionPayload(PEOPLE.ana, ACTION.approve, '1:1', { messageTs: rig.onlyCard().ts, responseUrl: rig.standIn.responseUrl('click-ana') }));
    await rig.settle();
    rig.standIn.inject({ method: 'users.info', fault: { kind: 'slow', delayMs: 2000 } });
    const submitted = rig.standIn.sendSocketEnvelope('interactive', viewSubmissionPayload(PEOPLE.bea, VIEW.reject, REASON, METADATA));
    await sleep(300);
    // Wrapped: an async function's returned promise would be awaited by its caller's await.
    return {
      answer: submitted.then(
        (ack) => ack.ackPayload,
        (error: Error) => `no answer: ${error.message}`,
      ),
    };
  }

  test('stopping while a form submission is being answered still answers it', async () => {
    const { answer } = await approvedThenSlowRefusal();
    const app = rig.app;
    rig.app = undefined;
    const stopping = app?.stop();
    const answered = await answer;
    await stopping;
    expect(answered).toMatchObject({ response_action: 'errors', errors: { [FIELD.reason.block]: expect.stringContaining('Already approved') } });
  });

  test('a routine reconnect while a form submission is being answered still answers it', async () => {
    const { answer } = await approvedThenSlowRefusal();
    rig.standIn.sendSocketDisconnect('refresh_requested');
    expect(await answer).toMatchObject({ response_action: 'errors', errors: { [FIELD.reason.block]: expect.stringContaining('Already approved') } });
  });
});
