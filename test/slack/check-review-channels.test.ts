import { CRISIS_CHANNEL, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

/** At start each review channel is read once: one Greenlight was never invited to is said before the first flag. */

let h: Harness;
afterEach(async () => {
  // (a test that stopped the app itself: the stand-in and the files still go)
  await h.close().catch(() => undefined);
});

test('a review channel Greenlight was never invited to is named at start with its topics and the fix; the others are not', async () => {
  // given Greenlight not invited to the crisis channel (setup's invite step skipped for it)
  const lines: string[] = [];
  h = await startHarness({
    logLines: lines,
    checkChannels: true,
    beforeStart: (standIn) => standIn.inject({ method: 'conversations.history', channel: CRISIS_CHANNEL, fault: { kind: 'slack_error', error: 'not_in_channel' } }),
  });
  // when it starts, then one warning names the crisis channel, its topic and how to fix it, and none the review channel
  const said = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 'warn' && String(line.msg).includes('cannot post in a review channel'));
  await h.standIn.waitFor(() => said().length > 0, 3000, 'the warning');
  await h.settle();
  expect(said()).toEqual([expect.objectContaining({ channel: CRISIS_CHANNEL, topics: 'crisis', error: 'not_in_channel', fix: expect.stringContaining('/invite @Greenlight') })]);
  expect(said().some((line) => line.channel === REVIEW_CHANNEL)).toBe(false);
  // and each channel was read once (one call per channel, however many topics name it)
  const channels = h.standIn.callsTo('conversations.history').map((call) => call.params.channel);
  expect(new Set(channels).size).toBe(channels.length);
});

test("a stop while the start's channel check waits on a slow Slack neither waits for it nor says work is left for the next start", async () => {
  const lines: string[] = [];
  h = await startHarness({
    logLines: lines,
    checkChannels: true,
    beforeStart: (standIn) => standIn.inject({ method: 'conversations.history', fault: { kind: 'slow', delayMs: 4000 } }),
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await h.app.stop();
  // (a stop that waited on it would have waited out its grace, then said so)
  const said = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => String(line.msg).startsWith('stopping with work still running'));
  expect(said).toEqual([]);
});
