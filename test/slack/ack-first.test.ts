import { ACTION } from '../../src/slack/ids';
import { flagShortcutRequest } from '../helpers/flag-shortcut';
import { PEOPLE, slackClient, startHarness, type Harness } from '../helpers/harness';
import { nextId } from '../helpers/slack-requests';

/**
 * Greenlight answers Slack's request (the ack) before it makes any Slack call of its own: a slow Slack must not hold
 * the answer toward Slack's 3 s, after which the person sees an error for something that went through.
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** How long the request took to be answered, in ms, and its status. */
async function timed(request: () => Promise<{ status: number }>): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const { status } = await request();
  return { status, ms: Date.now() - started };
}

test('/moment alone is answered before Slack opens the flag form, however slow views.open is', async () => {
  // given a views.open Slack answers only after 2.5 s
  h.standIn.inject({ method: 'views.open', times: 1, fault: { kind: 'slow', delayMs: 2500 } });
  // when someone runs /moment alone
  const answer = await timed(() => h.command(PEOPLE.flagger, ''));
  // then the command is answered at once, and the form still opens
  expect(answer.status).toBe(200);
  expect(answer.ms).toBeLessThan(1500);
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 5000, 'the flag form');
});

test('Reject… is answered before Slack opens its reason form, however slow views.open is', async () => {
  // given a moment waiting for the brand reviewers, and a views.open Slack answers only after 2.5 s
  await h.command(PEOPLE.flagger, 'Monday mood: Coffee first');
  await h.settle();
  const card = h.onlyCard();
  h.standIn.inject({ method: 'views.open', times: 1, fault: { kind: 'slow', delayMs: 2500 } });
  // when ana presses Reject… on the card
  const answer = await timed(() => h.click(PEOPLE.ana, ACTION.reject, '1:1', { channel: card.channel, messageTs: card.ts, triggerId: nextId('trigger.') }));
  // then the press is answered at once, and the form still opens
  expect(answer.status).toBe(200);
  expect(answer.ms).toBeLessThan(1500);
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 5000, 'the reason form');
});

test("the Flag moment shortcut is answered before Greenlight asks Slack for the message's permalink", async () => {
  // given a message, and a chat.getPermalink Slack answers only after 2.8 s (the form waits a second for it)
  const posted = await slackClient(h).chat.postMessage({ channel: 'C0GENERAL', text: 'Dunk in the dark' });
  h.standIn.inject({ method: 'chat.getPermalink', times: 1, fault: { kind: 'slow', delayMs: 2800 } });
  // when someone uses Flag moment on it
  const request = flagShortcutRequest(h, PEOPLE.flagger, { ts: posted.ts ?? '', text: 'Dunk in the dark' }, { triggerId: nextId('trigger.') });
  const answer = await timed(() => h.post(request));
  // then the shortcut is answered before that second is out, and the form opens
  expect(answer.status).toBe(200);
  expect(answer.ms).toBeLessThan(900);
  await h.standIn.waitFor(() => h.standIn.openedViews().length === 1, 5000, 'the flag form');
});
