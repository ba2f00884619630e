import { ACTION } from '../../src/slack/ids';
import { PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

// The wall clock steps back an hour (an NTP correction of a clock that ran ahead) right after the review channel got
// a post. Posts keep their pace (postGapMs 1050, as in production): the channel's next post must still go in seconds.
test('after the wall clock steps back an hour, the next post in the review channel goes within seconds, not an hour', async () => {
  h = await startHarness({ worker: { postGapMs: 1050 } });
  await h.command(PEOPLE.flagger, 'Spring launch: "New boots in store now"');
  await h.settle();
  expect(h.onlyCard().ts).toBeDefined();
  h.advance(-60 * 60_000);
  await h.click(PEOPLE.ana, ACTION.approve, '1:1');
  // then the approval's thread reply under the card goes within seconds (the channel's pace), not once the hour is over
  await h.standIn.waitFor(() => h.standIn.messages(REVIEW_CHANNEL).some((m) => m.threadTs !== undefined), 8000, 'the thread reply');
}, 20_000);

test('rows queued before the clock was set back are sent at once, not once it catches up', async () => {
  // given a card queued while delivery is stopped, then the clock set back an hour
  h = await startHarness({ worker: { postGapMs: 1050 } });
  await h.app.worker.stop();
  await h.command(PEOPLE.flagger, 'Spring launch: "New boots in store now"');
  h.advance(-60 * 60_000);
  // when delivery starts again
  h.app.worker.start();
  // then the card goes
  await h.standIn.waitFor(() => h.standIn.messages(REVIEW_CHANNEL).length > 0, 8000, 'the card');
}, 20_000);

// A step back of minutes, the common size of an NTP correction.
test('rows queued before a 10-minute set-back (while down) are sent at once on start, not 10 minutes later', async () => {
  h = await startHarness({ worker: { postGapMs: 1050 } });
  await h.app.worker.stop();
  await h.command(PEOPLE.flagger, 'Spring launch: "New boots in store now"');
  h.advance(-10 * 60_000);
  h.app.worker.start();
  await h.standIn.waitFor(() => h.standIn.messages(REVIEW_CHANNEL).length > 0, 8000, 'the card');
}, 20_000);

test('a row waiting a 3 s Retry-After when the clock steps back 10 minutes is retried within seconds, not 10 minutes', async () => {
  h = await startHarness({ worker: { postGapMs: 1050 } });
  h.standIn.inject({ method: 'chat.postMessage', channel: REVIEW_CHANNEL, times: 1, fault: { kind: 'rate_limited', retryAfterSec: 3 } });
  await h.command(PEOPLE.flagger, 'Spring launch: "New boots in store now"');
  await h.standIn.waitFor(() => h.standIn.callsTo('chat.postMessage').some((c) => c.params.channel === REVIEW_CHANNEL), 5000, 'the 429');
  await new Promise((r) => setTimeout(r, 300));
  expect(h.standIn.messages(REVIEW_CHANNEL)).toHaveLength(0);
  h.advance(-10 * 60_000);
  await h.standIn.waitFor(() => h.standIn.messages(REVIEW_CHANNEL).length > 0, 10_000, 'the card after its Retry-After');
}, 25_000);
