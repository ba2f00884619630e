import { BackgroundWork } from '../../src/slack/background-work';

/** The work stop() waits for: finished when it can, cut off at the grace, nothing new once stopping. */

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('drain waits for the work running and reports it finished', async () => {
  const work = new BackgroundWork();
  const task = deferred();
  let done = false;
  void work.run(() => task.promise.then(() => void (done = true)));
  expect(work.size).toBe(1);

  const drained = work.drain(1000);
  setTimeout(task.resolve, 20);

  expect(await drained).toBe(true);
  expect(done).toBe(true);
  expect(work.size).toBe(0);
});

test('drain gives up after its grace and says the work did not finish', async () => {
  const work = new BackgroundWork();
  void work.run(() => new Promise<void>(() => undefined));

  const started = Date.now();
  expect(await work.drain(50)).toBe(false);
  expect(Date.now() - started).toBeLessThan(1000);
});

test('once stopping, new work is not started', async () => {
  const work = new BackgroundWork();
  await work.drain(10);
  let ran = false;

  await work.run(async () => {
    ran = true;
  });

  expect(ran).toBe(false);
  expect(work.isStopping).toBe(true);
});

test("a task's failure is still its caller's, and does not keep drain waiting", async () => {
  const work = new BackgroundWork();
  const failing = work.run(() => Promise.reject(new Error('Slack said no')));

  await expect(failing).rejects.toThrow('Slack said no');
  expect(await work.drain(1000)).toBe(true);
});
