import { SyncFailedError } from '../../src/store/group-commit';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { LogLevel } from '@slack/bolt';
import { createLogger } from '../../src/log/logger';
import { LIST_READ_BUSY_MESSAGE, LIST_UNREAD_MESSAGE, STORE_FAILED_MESSAGE, STORE_READ_BUSY_MESSAGE, STORE_UNREAD_MESSAGE, unreadAnswer } from '../../src/slack/unsaved-answer';
import { PEOPLE, startHarness, type Harness } from '../helpers/harness';
import type { ViewValues } from '../helpers/slack-requests';

/**
 * A press, command or form that cannot be saved for a reason other than a lock (disk full, an I/O error, the store
 * refusing writes after a failed fsync, a moment that kept changing) is answered at once: the person hears that
 * nothing was recorded, the log says why at ERROR, and Slack never waits out its 3 s.
 */

let h: Harness;
const lines: string[] = [];
beforeEach(async () => {
  lines.length = 0;
  h = await startHarness({ logLines: lines });
});
afterEach(async () => {
  await h.close();
});

const TITLE = 'Dunk';
const COPY = 'in the dark, keep the lights off';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The one ERROR line about the unsaved request, parsed; and no trace of the unhandled path. */
function unsavedLine(): Record<string, unknown> {
  const found = lines.filter((l) => l.includes('not saved'));
  expect(found).toHaveLength(1);
  expect(lines.join('\n')).not.toMatch(/listener failed|no answer to Slack within 3 s/);
  return JSON.parse(found[0] ?? '{}') as Record<string, unknown>;
}

function flagValues(): ViewValues {
  return {
    [FIELD.title.block]: { [FIELD.title.input]: { type: 'plain_text_input', value: TITLE } },
    [FIELD.copy.block]: { [FIELD.copy.input]: { type: 'plain_text_input', value: COPY } },
    [FIELD.link.block]: { [FIELD.link.input]: { type: 'url_text_input', value: null } },
    [FIELD.topic.block]: { [FIELD.topic.input]: { type: 'static_select', selected_option: { value: 'default' } } },
    [FIELD.urgency.block]: { [FIELD.urgency.input]: { type: 'radio_buttons', selected_option: { value: 'normal' } } },
  };
}

async function flagOne(): Promise<void> {
  await h.command(PEOPLE.flagger, `${TITLE}: ${COPY}`);
  await h.settle();
  lines.length = 0;
}

test('an approve that cannot be saved because the disk is full is answered at once: nothing recorded, try again', async () => {
  // Given a moment, and a disk that is full when Ana approves it.
  await flagOne();
  const append = h.app.store.reviews.appendDecision;
  h.app.store.reviews.appendDecision = () => {
    throw sqliteError('SQLITE_FULL', 'database or disk is full');
  };

  // When she presses Approve.
  const started = Date.now();
  const response = await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  const acked = Date.now() - started;
  // The answer goes to the response_url just after the ack (a button's ack carries no text).
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.ana}`).length > 0, 2500, 'the answer to Ana');
  const answered = Date.now() - started;
  h.app.store.reviews.appendDecision = append;
  await h.settle();

  // Then Slack has its ack at once, Ana is told in an ephemeral answer, and nothing was recorded.
  expect({ status: response.status, fast: acked < 2500 && answered < 2500 }).toEqual({ status: 200, fast: true });
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => r.body)).toEqual([{ response_type: 'ephemeral', replace_original: false, text: STORE_FAILED_MESSAGE }]);
  expect(h.countRows('decisions')).toBe(0);
  expect(unsavedLine()).toMatchObject({ level: 'error', msg: 'press not saved: database failed', code: 'SQLITE_FULL', error: 'database or disk is full', momentId: 1, userId: PEOPLE.ana, action: 'approve' });

  // And once the disk has room again, the same approval goes through.
  await h.click(PEOPLE.ana, ACTION.approve, '1:1:0');
  await h.settle();
  expect(h.app.store.moments.get(1)?.state.status).toBe('approved');
});

test('a Withdraw pressed in App Home (no response_url) that cannot be saved is answered by DM: nothing recorded', async () => {
  // Given a moment, and a disk that is full when the flagger withdraws it from their Home.
  await flagOne();
  const append = h.app.store.reviews.appendDecision;
  h.app.store.reviews.appendDecision = () => {
    throw sqliteError('SQLITE_FULL', 'database or disk is full');
  };
  const dms = () => h.standIn.messages(h.standIn.dmChannelFor(PEOPLE.flagger)).map((m) => m.text);
  const before = dms().length;
  // When the flagger presses Withdraw in Home.
  expect((await h.click(PEOPLE.flagger, ACTION.withdraw, '1:1', { inHome: true })).status).toBe(200);
  // Then they are told by DM that nothing was recorded, and the moment is still open.
  await h.standIn.waitFor(() => dms().length > before, 2500, 'the answer to the flagger');
  h.app.store.reviews.appendDecision = append;
  expect(dms().at(-1)).toBe(STORE_FAILED_MESSAGE);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  expect(unsavedLine()).toMatchObject({ msg: 'press not saved: database failed', action: 'withdraw' });
});

test('a Reject press whose "not yours" answer cannot be queued is answered straight to the presser', async () => {
  await flagOne();
  const enqueue = h.app.store.outbox.enqueue;
  h.app.store.outbox.enqueue = () => {
    throw sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error');
  };

  const response = await h.click(PEOPLE.outsider, ACTION.reject, '1:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.outsider}`).length > 0, 3000, 'the answer to the outsider');
  h.app.store.outbox.enqueue = enqueue;

  expect(response.status).toBe(200);
  expect(h.standIn.responses(`click-${PEOPLE.outsider}`).map((r) => r.body.text)).toEqual([STORE_FAILED_MESSAGE]);
  expect(h.standIn.openedViews()).toHaveLength(0);
  expect(unsavedLine()).toMatchObject({ level: 'error', code: 'SQLITE_IOERR_WRITE', userId: PEOPLE.outsider, action: 'reject' });
});

test('a Reject… press whose moment cannot be read is told so, not that something could not be saved', async () => {
  // Given a moment, and a disk that fails the read of it when Ana presses Reject…
  await flagOne();
  const get = h.app.store.moments.get;
  h.app.store.moments.get = () => {
    throw sqliteError('SQLITE_IOERR_READ', 'disk I/O error');
  };
  const response = await h.click(PEOPLE.ana, ACTION.reject, '1:1');
  await h.standIn.waitFor(() => h.standIn.responses(`click-${PEOPLE.ana}`).length > 0, 3000, 'the answer to Ana');
  h.app.store.moments.get = get;
  // Then she hears the read failed and nothing changed; no modal opened; the log says it was a read
  expect(response.status).toBe(200);
  expect(h.standIn.responses(`click-${PEOPLE.ana}`).map((r) => r.body.text)).toEqual([STORE_UNREAD_MESSAGE]);
  expect(h.standIn.openedViews()).toHaveLength(0);
  const logged = lines.filter((l) => l.includes('database read failed')).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged).toEqual([expect.objectContaining({ level: 'error', msg: 'press not answered: database read failed', code: 'SQLITE_IOERR_READ', action: 'reject' })]);
  expect(lines.join('\n')).not.toMatch(/not saved|listener failed/);
});

test('a /moment flag that hits an I/O error is answered in its ack, stores nothing, and logs no payload', async () => {
  // Given a disk that fails the moment's write.
  h.app.store.moments.insert = () => {
    throw sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error');
  };

  // When the flagger runs /moment.
  const started = Date.now();
  const response = await h.command(PEOPLE.flagger, `${TITLE}: ${COPY}`);
  const took = Date.now() - started;

  // Then the ack itself says nothing was recorded, with no "Flagging…" reply, and gives back the words (Slack cleared
  // them) to send again; nothing is stored, not even the request key.
  expect({ status: response.status, fast: took < 2500 }).toEqual({ status: 200, fast: true });
  expect(JSON.parse(response.text)).toEqual({ response_type: 'ephemeral', text: `${STORE_FAILED_MESSAGE}\nYour words, to send again:\n\`\`\`/moment ${TITLE}: ${COPY}\`\`\`` });
  expect(['moments', 'outbox', 'seen'].map((table) => h.countRows(table))).toEqual([0, 0, 0]);
  const line = unsavedLine();
  expect(line).toMatchObject({ level: 'error', msg: 'flag not saved: database failed', code: 'SQLITE_IOERR_WRITE', error: 'disk I/O error', userId: PEOPLE.flagger });
  expect(JSON.stringify(line)).not.toContain(COPY);
});

test('a flag form submitted after the store stopped writing (a failed fsync) shows the error in the form', async () => {
  // Given a store that refuses every write since an fsync failed.
  h.app.store.batched = () => Promise.reject(new SyncFailedError(new Error('EIO: i/o error, fsync')));

  // When the flag form is submitted.
  const response = await h.submitView(PEOPLE.flagger, VIEW.flag, flagValues(), JSON.stringify({ channel: 'C0GENERAL' }));

  // Then the form stays open with the message above its first field, and the log names the failure.
  expect(response.status).toBe(200);
  expect(JSON.parse(response.text)).toEqual({ response_action: 'errors', errors: { [FIELD.title.block]: STORE_FAILED_MESSAGE } });
  expect(h.countRows('moments')).toBe(0);
  const line = unsavedLine();
  expect(line).toMatchObject({ level: 'error', msg: 'flag not saved: database failed', code: 'SyncFailedError', userId: PEOPLE.flagger });
  expect(String(line.error)).toContain('EIO');
  expect(JSON.stringify(line)).not.toContain(COPY);
});

test('a reject whose moment keeps changing under it (a conflict after every retry) shows the error under the reason', async () => {
  await flagOne();
  h.app.store.moments.save = () => false;

  const reason = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Off brand' } } };
  const response = await h.submitView(PEOPLE.ana, VIEW.reject, reason, JSON.stringify({ momentId: 1, revision: 1 }));

  expect(response.status).toBe(200);
  expect(JSON.parse(response.text)).toEqual({ response_action: 'errors', errors: { [FIELD.reason.block]: STORE_FAILED_MESSAGE } });
  expect(h.countRows('decisions')).toBe(0);
  expect(unsavedLine()).toMatchObject({ level: 'error', msg: 'reject not saved: database failed', code: 'ConcurrentChange', momentId: 1, userId: PEOPLE.ana });
});

test('a read that meets a lock says the database is busy, not that it failed', () => {
  const said: string[] = [];
  const logger = createLogger({ level: LogLevel.INFO, write: (line) => said.push(line) });
  const locked = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  expect(unreadAnswer(logger, 'press', locked, { momentId: 1 })).toBe(STORE_READ_BUSY_MESSAGE);
  expect(unreadAnswer(logger, 'press', new Error('disk I/O error'), { momentId: 1 })).toBe(STORE_UNREAD_MESSAGE);
  expect(unreadAnswer(logger, 'list', locked, {})).toBe(LIST_READ_BUSY_MESSAGE);
  expect(unreadAnswer(logger, 'stats', new Error('disk I/O error'), {})).toBe(LIST_UNREAD_MESSAGE);
  expect(said.join('\n')).toContain('press not answered: database busy');
});

test.each([
  ['list', 'openFor'],
  ['stats', 'outcomesSince'],
] as const)('/moment %s whose read fails is answered that it could not be read, not with Slack\'s generic failure', async (word, read) => {
  const original = h.app.store.moments[read];
  h.app.store.moments[read] = () => {
    throw sqliteError('SQLITE_IOERR_READ', 'disk I/O error');
  };
  const response = await h.command(PEOPLE.ana, word);
  h.app.store.moments[read] = original as never;
  expect(response.status).toBe(200);
  expect(JSON.parse(response.text)).toEqual({ response_type: 'ephemeral', text: LIST_UNREAD_MESSAGE });
  const logged = lines.filter((l) => l.includes('database read failed')).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged).toEqual([expect.objectContaining({ level: 'error', msg: `${word} not answered: database read failed`, code: 'SQLITE_IOERR_READ', userId: PEOPLE.ana })]);
});
