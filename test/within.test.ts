import { within } from '../src/within';

/** The one wait-with-a-deadline every stop and the shortcut's form use. */

test('a promise that settles in time gives its value, and late() is never called', async () => {
  let called = false;
  expect(await within(Promise.resolve('answer'), 1000, () => ((called = true), 'late'))).toBe('answer');
  expect(called).toBe(false);
});

test('past the wait, late() gives the value, called once the time runs out', async () => {
  const started = Date.now();
  expect(await within(new Promise<string>(() => undefined), 30, () => 'late')).toBe('late');
  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
});

test('a rejection in time passes through', async () => {
  await expect(within(Promise.reject(new Error('Slack said no')), 1000, () => 'late')).rejects.toThrow('Slack said no');
});
