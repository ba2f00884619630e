import Database from 'better-sqlite3';
import type { StoredMessage } from '../../src/sandbox/slack-stand-in';
import { ACTION, FIELD, VIEW } from '../../src/slack/ids';
import { CRISIS_CHANNEL, PEOPLE, REVIEW_CHANNEL, startHarness, type Harness } from '../helpers/harness';
import { blockActionBody, signed, type ViewValues } from '../helpers/slack-requests';

/** Approve: the two-role path, double presses, replays and two reviewers at the same instant. */


let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const FORM = 'application/x-www-form-urlencoded';
const CRISIS_TEXT = 'Batch 42: we are issuing a recall of batch 42 today';
const DEFAULT_TEXT = 'Monday mood: Coffee first, then the world';

interface DecisionRow {
  user_id: string | null;
  role: string | null;
  action: string;
  comment: string | null;
}

/** The decision log as the database holds it, read on a separate connection. */
function decisionRows(momentId: number): DecisionRow[] {
  const db = new Database(h.databasePath, { readonly: true });
  try {
    return db.prepare<[number], DecisionRow>('SELECT user_id, role, action, comment FROM decisions WHERE moment_id = ? ORDER BY id').all(momentId);
  } finally {
    db.close();
  }
}


function threadOf(card: StoredMessage): StoredMessage[] {
  return h.standIn.messages(card.channel).filter((m) => m.threadTs === card.ts);
}

function dmOf(userId: string): StoredMessage[] {
  return h.standIn.messages(h.standIn.dmChannelFor(userId));
}

function responseTexts(userId: string): string[] {
  return h.standIn.responses(`click-${userId}`).map((r) => String(r.body.text));
}

/** A reviewer pressing Approve in their DM, as Slack would send it. */
async function approveFromDm(userId: string, value = '1:1'): Promise<void> {
  const dm = dmOf(userId)[0];
  if (!dm) throw new Error(`${userId} has no review DM`);
  const response = await h.click(userId, ACTION.approve, value, { channel: dm.channel, messageTs: dm.ts });
  expect(response.status).toBe(200);
}

test('a crisis moment needs comms and legal: the first approval updates the card in place and the second approves it', async () => {
  await h.command(PEOPLE.flagger, CRISIS_TEXT);
  await h.settle();
  const posted = h.onlyCard(CRISIS_CHANNEL);
  expect(JSON.stringify(posted.blocks)).toContain(ACTION.approve);

  // Given comms approves first
  await approveFromDm(PEOPLE.cal);
  await h.settle();

  const afterFirst = h.onlyCard(CRISIS_CHANNEL);
  expect(afterFirst.ts).toBe(posted.ts);
  expect(afterFirst.updates).toBeGreaterThan(0);
  expect(JSON.stringify(afterFirst.blocks)).toContain('*comms* 1/1');
  expect(JSON.stringify(afterFirst.blocks)).toContain('*legal* 0/1');
  expect(JSON.stringify(afterFirst.blocks)).toContain(ACTION.approve);
  const firstThread = threadOf(afterFirst);
  expect(firstThread).toHaveLength(1);
  // cal is named, not mentioned: a mention would notify him of his own press
  expect(firstThread[0]?.text).toBe('✅ *cal* approved (comms).');
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  expect(dmOf(PEOPLE.flagger)).toHaveLength(0);
  // and cal's DM, where he pressed, says his approval is in (the card is out of sight on a phone); leo's still asks
  const calsDm = JSON.stringify(dmOf(PEOPLE.cal)[0]?.blocks);
  expect(calsDm).toContain('You approved this as *comms*');
  expect(calsDm).not.toContain(ACTION.approve);
  expect(JSON.stringify(dmOf(PEOPLE.leo)[0]?.blocks)).toContain(ACTION.approve);

  // When legal approves too
  await approveFromDm(PEOPLE.leo);
  await h.settle();

  // Then the moment is approved and everybody sees it
  const moment = h.app.store.moments.get(1);
  expect(moment?.state).toMatchObject({ status: 'approved', by: PEOPLE.leo });
  expect(decisionRows(1)).toEqual([
    { user_id: PEOPLE.cal, role: 'comms', action: 'approve', comment: null },
    { user_id: PEOPLE.leo, role: 'legal', action: 'approve', comment: null },
  ]);
  const closed = h.onlyCard(CRISIS_CHANNEL);
  expect(closed.ts).toBe(posted.ts);
  expect(JSON.stringify(closed.blocks)).toContain('*Approved*');
  expect(JSON.stringify(closed.blocks)).not.toContain(ACTION.approve);
  expect(closed.text).toContain('approved');
  const thread = threadOf(closed).map((m) => m.text);
  // The last approval and the outcome are one reply.
  expect(thread).toHaveLength(2);
  expect(thread[1]).toBe(`✅ *leo* approved (legal).\n🎉 *Batch 42* is approved. Go post it!`);

  const toFlagger = dmOf(PEOPLE.flagger);
  expect(toFlagger).toHaveLength(1);
  expect(toFlagger[0]?.text).toContain('*Batch 42* is approved');
  expect(toFlagger[0]?.text).toContain(`archives/${CRISIS_CHANNEL}/p${posted.ts.replace('.', '')}`);

  for (const reviewer of [PEOPLE.cal, PEOPLE.leo]) {
    const dms = dmOf(reviewer);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.updates).toBeGreaterThan(0);
    expect(JSON.stringify(dms[0]?.blocks)).not.toContain(ACTION.approve);
    expect(JSON.stringify(dms[0]?.blocks)).not.toContain(ACTION.reject);
    expect(JSON.stringify(dms[0]?.blocks)).toContain('*Approved*');
  }
  // No second card was ever posted: every change went through chat.update.
  expect(h.standIn.callsTo('chat.update').length).toBeGreaterThanOrEqual(3);
});

test('once a role has its approval, the role\'s other reviewer is told theirs is not needed, on the card and in their DM', async () => {
  // given legal is leo and bea, and a crisis moment needs comms 1 and legal 1
  h.standIn.setUsergroup('S0LEGAL', [PEOPLE.leo, PEOPLE.bea]);
  await h.app.directory.refresh();
  await h.command(PEOPLE.flagger, CRISIS_TEXT);
  await h.settle();
  expect(JSON.stringify(dmOf(PEOPLE.bea)[0]?.blocks)).toContain(ACTION.approve);
  // when leo approves for legal
  await approveFromDm(PEOPLE.leo);
  await h.settle();
  // then bea's DM stops asking for an approval that would count for nothing (she may still reject or ask for changes)
  const bea = dmOf(PEOPLE.bea);
  expect(bea).toHaveLength(1);
  expect(JSON.stringify(bea[0]?.blocks)).toContain(`*legal* has the approvals it needs (<@${PEOPLE.leo}>), so yours is not needed`);
  expect(JSON.stringify(bea[0]?.blocks)).not.toContain(ACTION.approve);
  expect(JSON.stringify(bea[0]?.blocks)).toContain(ACTION.reject);
  // the card no longer shows her as awaited, and comms' reviewer is still asked
  const card = JSON.stringify(h.onlyCard(CRISIS_CHANNEL).blocks);
  expect(card).toContain(`*legal* 1/1: <@${PEOPLE.leo}> ✅`);
  expect(card).not.toContain(`<@${PEOPLE.bea}>`);
  expect(JSON.stringify(dmOf(PEOPLE.cal)[0]?.blocks)).toContain(ACTION.approve);
});

test('the same reviewer approving twice records one decision and is told it was already approved', async () => {
  await h.command(PEOPLE.flagger, CRISIS_TEXT);
  await h.settle();

  await approveFromDm(PEOPLE.cal);
  await h.settle();
  await approveFromDm(PEOPLE.cal);
  await h.settle();

  expect(decisionRows(1)).toHaveLength(1);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
  const told = responseTexts(PEOPLE.cal);
  expect(told).toHaveLength(1);
  expect(told[0]).toMatch(/already approved/i);
  expect(threadOf(h.onlyCard(CRISIS_CHANNEL))).toHaveLength(1);
});

test('an approve click replayed three times with the same signature records once and tells the thread once', async () => {
  await h.command(PEOPLE.flagger, CRISIS_TEXT);
  await h.settle();

  const click = signed(blockActionBody(PEOPLE.cal, ACTION.approve, '1:1', { responseUrl: h.standIn.responseUrl(`click-${PEOPLE.cal}`) }), FORM);
  const answers = [await h.post(click), await h.post(click), await h.post(click)];
  await h.settle();

  expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
  expect(decisionRows(1)).toHaveLength(1);
  expect(threadOf(h.onlyCard(CRISIS_CHANNEL))).toHaveLength(1);
  expect(responseTexts(PEOPLE.cal)).toHaveLength(0);
  expect(h.app.store.moments.get(1)?.state.status).toBe('pending');
});

test('a refused click replayed three times is answered once', async () => {
  await h.command(PEOPLE.flagger, CRISIS_TEXT);
  await h.settle();

  const click = signed(blockActionBody(PEOPLE.outsider, ACTION.approve, '1:1', { responseUrl: h.standIn.responseUrl(`click-${PEOPLE.outsider}`) }), FORM);
  await Promise.all([h.post(click), h.post(click), h.post(click)]);
  await h.settle();

  expect(decisionRows(1)).toHaveLength(0);
  expect(responseTexts(PEOPLE.outsider)).toHaveLength(1);
});

test('two brand reviewers pressing approve at the same instant record exactly one approval', async () => {
  await h.command(PEOPLE.flagger, DEFAULT_TEXT);
  await h.settle();
  const posted = h.onlyCard(REVIEW_CHANNEL);
  expect(dmOf(PEOPLE.ana)).toHaveLength(1);
  expect(dmOf(PEOPLE.bea)).toHaveLength(1);

  const answers = await Promise.all([h.click(PEOPLE.ana, ACTION.approve, '1:1'), h.click(PEOPLE.bea, ACTION.approve, '1:1')]);
  await h.settle();

  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  const approvals = decisionRows(1).filter((d) => d.action === 'approve');
  expect(approvals).toHaveLength(1);
  const winner = approvals[0]?.user_id;
  const loser = winner === PEOPLE.ana ? PEOPLE.bea : PEOPLE.ana;
  expect(h.app.store.moments.get(1)?.state).toMatchObject({ status: 'approved', by: winner });
  expect(responseTexts(loser)).toEqual([`Already approved by <@${winner}>. Nothing more to decide.`]);
  expect(responseTexts(winner ?? '')).toHaveLength(0);
  expect(h.onlyCard(REVIEW_CHANNEL).ts).toBe(posted.ts);
  expect(dmOf(PEOPLE.flagger)).toHaveLength(1);
});

test('a button value that is not ours is acknowledged and changes nothing', async () => {
  await h.command(PEOPLE.flagger, DEFAULT_TEXT);
  await h.settle();
  const before = h.onlyCard(REVIEW_CHANNEL);

  const response = await h.click(PEOPLE.ana, ACTION.approve, 'not-a-moment');
  await h.settle();

  expect(response.status).toBe(200);
  expect(decisionRows(1)).toHaveLength(0);
  expect(h.onlyCard(REVIEW_CHANNEL).updates).toBe(before.updates);
});

test('the same reviewer pressing approve twice at the same instant records one decision', async () => {
  await h.command(PEOPLE.flagger, CRISIS_TEXT);
  await h.settle();

  await Promise.all([h.click(PEOPLE.cal, ACTION.approve, '1:1'), h.click(PEOPLE.cal, ACTION.approve, '1:1')]);
  await h.settle();

  expect(decisionRows(1)).toHaveLength(1);
  expect(responseTexts(PEOPLE.cal)).toEqual([expect.stringMatching(/already approved/i)]);
});

test('an approve and a reject at the same instant end the moment once, and the later one is told', async () => {
  await h.command(PEOPLE.flagger, DEFAULT_TEXT);
  await h.settle();
  const reason: ViewValues = { [FIELD.reason.block]: { [FIELD.reason.input]: { type: 'plain_text_input', value: 'Off brand' } } };
  const metadata = JSON.stringify({ momentId: 1, revision: 1 });

  const [, rejected] = await Promise.all([h.click(PEOPLE.ana, ACTION.approve, '1:1'), h.submitView(PEOPLE.bea, VIEW.reject, reason, metadata)]);
  await h.settle();

  const decisions = decisionRows(1);
  expect(decisions).toHaveLength(1);
  const status = h.app.store.moments.get(1)?.state.status;
  if (decisions[0]?.action === 'approve') {
    expect(status).toBe('approved');
    expect(JSON.parse(rejected.text)).toEqual({ response_action: 'errors', errors: { reason: 'Already approved by ana. Nothing more to decide.' } });
  } else {
    expect(status).toBe('rejected');
    expect(rejected.text).toBe('');
    expect(responseTexts(PEOPLE.ana)).toEqual([`Already rejected by <@${PEOPLE.bea}>. Nothing more to decide.`]);
  }
  expect(dmOf(PEOPLE.flagger)).toHaveLength(1);
});
