import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/** What a delivery learns (card ts, DM ts, DM channel, permalink) is written in the group commit, with the row's result. */

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ synchronous: 'FULL' });
});
afterEach(async () => {
  jest.restoreAllMocks();
  await h.close();
});

test("a delivery's bookkeeping is written inside the group commit, never as a commit of its own on the event loop", async () => {
  // given every batched piece of work is marked while it runs, and the store's bookkeeping writes note whether they ran inside one
  const { store } = h.app;
  const batched = store.batched.bind(store);
  let insideBatch = false;
  jest.spyOn(store, 'batched').mockImplementation(<T>(work: () => T) =>
    batched(() => {
      insideBatch = true;
      try {
        return work();
      } finally {
        insideBatch = false;
      }
    }),
  );
  const writes: string[] = [];
  const watch = (table: object, name: string) => {
    const methods = table as Record<string, (...args: unknown[]) => unknown>;
    const original = methods[name];
    if (!original) throw new Error(`no ${name} on the store`);
    methods[name] = (...args: unknown[]) => {
      writes.push(`${name}:${insideBatch ? 'batched' : 'own commit'}`);
      return original.apply(table, args);
    };
  };
  watch(store.moments, 'setCard');
  watch(store.moments, 'setPermalink');
  watch(store.messages, 'recordDm');
  watch(store.messages, 'rememberDmChannel');

  // when a moment is flagged and its card, confirmation and reviewer DMs are delivered
  expect((await h.command(PEOPLE.flagger, 'Monday mood: Coffee first')).status).toBe(200);
  await h.settle();

  // then the card's ts, the permalink, the DM channels and the DMs were all recorded, each inside a batch
  expect(new Set(writes)).toEqual(new Set(['setCard:batched', 'setPermalink:batched', 'rememberDmChannel:batched', 'recordDm:batched']));
  expect(store.moments.card(1)).toMatchObject({ channel: expect.any(String), ts: expect.any(String), permalink: expect.stringContaining('https://') });
});
