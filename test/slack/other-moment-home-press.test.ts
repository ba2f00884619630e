import { OTHER_MOMENT } from '../../src/core/decide';
import { ACTION } from '../../src/slack/ids';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';

/**
 * A press in App Home on a button of a moment this database no longer has (a Home published before a backup was
 * restored, or before a redeploy on an empty database, still on screen) is answered by DM: that DM names no moment, not
 * the one that has the id now (a live one, waiting on the very person, or a crisis they are not asked about).
 */

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test("a stale Home's press on another moment's button is not told as if the live moment with its id were gone", async () => {
  // given Oreo, moment 1, flagged on this database and waiting on ana
  await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
  await h.settle();
  const stamp = h.app.store.moments.get(1)?.stamp;
  expect(stamp).toBeDefined();
  const before = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).length;
  // when ana presses Approve in a Home published before the restore, on the lost moment 1 (another stamp)
  const lost = stamp === '0badc0de' ? '1badc0de' : '0badc0de';
  expect((await h.click(PEOPLE.ana, ACTION.approve, `1:1:0:${lost}`, { inHome: true })).status).toBe(200);
  await h.settle();
  // then nothing is recorded on Oreo
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  // and the DM telling her so does not name Oreo as the moment Greenlight "no longer has"
  const told = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).slice(before).map((m) => String(m.text));
  const answer = told.find((t) => t.includes(OTHER_MOMENT));
  expect(answer).toBeDefined();
  expect(answer).not.toContain('Oreo');
});

test("a stale Home's Withdraw on a lost moment does not tell the presser the title of someone else's crisis that now has its id", async () => {
  // given moment 1 on this database is ana's crisis statement, reviewed in the crisis channel the flagger is not asked in
  await h.command(PEOPLE.ana, 'Recall statement: batch 42 is being recalled #crisis');
  await h.settle();
  const stamp = h.app.store.moments.get(1)?.stamp;
  const lost = stamp === '0badc0de' ? '1badc0de' : '0badc0de';
  const before = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).length;
  // when the flagger presses Withdraw in a Home published before the restore, on their own lost moment 1
  expect((await h.click(PEOPLE.flagger, ACTION.withdraw, `1:1:0:${lost}`, { inHome: true })).status).toBe(200);
  await h.settle();
  // then the crisis is untouched, and the DM telling the flagger so does not give them the crisis's title
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  const told = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).slice(before).map((m) => String(m.text));
  expect(told.some((t) => t.includes(OTHER_MOMENT))).toBe(true);
  expect(told.join('\n')).not.toContain('Recall statement');
});

for (const [name, action] of [
  ['Reject…', ACTION.reject],
  ['Request changes…', ACTION.requestChanges],
] as const) {
  test(`a stale Home's ${name}, refused before its form opens, names no moment either`, async () => {
    // given Oreo, moment 1, flagged on this database and waiting on ana
    await h.command(PEOPLE.flagger, 'Oreo: dunk in the dark #sports');
    await h.settle();
    const stamp = h.app.store.moments.get(1)?.stamp;
    const before = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).length;
    // when ana presses the button in a Home published before the restore, on the lost moment 1 (another stamp)
    const lost = stamp === '0badc0de' ? '1badc0de' : '0badc0de';
    expect((await h.click(PEOPLE.ana, action, `1:1:0:${lost}`, { inHome: true })).status).toBe(200);
    await h.settle();
    // then no form opened, and the DM telling her so does not name Oreo
    expect(h.standIn.openedViews()).toHaveLength(0);
    const told = h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.ana)).slice(before).map((m) => String(m.text));
    const answer = told.find((t) => t.includes(OTHER_MOMENT));
    expect(answer).toBeDefined();
    expect(answer).not.toContain('Oreo');
  });
}
