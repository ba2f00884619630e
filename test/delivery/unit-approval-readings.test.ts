import type { MessageSince } from '../../src/core/notice';
import { ApprovalReadings, SINCE_MAX_AGE_MS } from '../../src/delivery/message-since';

/** An approval's notes share one reading of the flagged message: kept a while, not when Slack did not answer. */

function reader(answers: (MessageSince | undefined)[]) {
  let calls = 0;
  const read = async (): Promise<MessageSince | undefined> => answers[calls++];
  return { read, calls: () => calls };
}

test('notes of one moment read the message once, at the same time or a little later', async () => {
  const now = 1_000_000;
  const readings = new ApprovalReadings(() => now);
  const slack = reader(['edited', undefined]);
  const [thread, dm] = await Promise.all([readings.of(1, slack.read), readings.of(1, slack.read)]);
  expect([thread, dm, await readings.of(1, slack.read)]).toEqual(['edited', 'edited', 'edited']);
  expect(slack.calls()).toBe(1);
});

test('each moment is read for itself', async () => {
  const readings = new ApprovalReadings(() => 0);
  const slack = reader(['edited', 'deleted']);
  expect([await readings.of(1, slack.read), await readings.of(2, slack.read)]).toEqual(['edited', 'deleted']);
});

test('a reading Slack did not answer is not kept: the next note reads again', async () => {
  const readings = new ApprovalReadings(() => 0);
  const slack = reader(['unknown', 'edited']);
  expect(await readings.of(1, slack.read)).toBe('unknown');
  expect(await readings.of(1, slack.read)).toBe('edited');
  expect(slack.calls()).toBe(2);
});

test('a reading is read again once it is older than its age, or the clock went back past it', async () => {
  let now = 1_000_000;
  const readings = new ApprovalReadings(() => now);
  const slack = reader([undefined, 'edited', 'deleted']);
  expect(await readings.of(1, slack.read)).toBeUndefined();
  now += SINCE_MAX_AGE_MS;
  expect(await readings.of(1, slack.read)).toBe('edited');
  now -= 60_000 + SINCE_MAX_AGE_MS;
  expect(await readings.of(1, slack.read)).toBe('deleted');
});
