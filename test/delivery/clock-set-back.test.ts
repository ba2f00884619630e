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
