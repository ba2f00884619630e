import { decide } from '../../src/core/decide';
import { act, actor, CONTENT, CRISIS, flagged, MEMBERS, MINUTE, PEOPLE, T0, topic } from './fixtures';

const NOW = T0 + 5 * MINUTE;

describe('a stale press is told only what is true for the presser', () => {
  test('a flagger who is also a lead (self-approval off) pressing Escalate again is not told to decide', () => {
    // given a crisis escalated to the leads, the flagger among them, whose own approval does not count
    const members = { ...MEMBERS, leads: [PEOPLE.lead, PEOPLE.flagger] };
    const escalated = act(flagged(CRISIS, { members }), { kind: 'escalate', actor: actor(PEOPLE.cal), fromTier: 0 }, NOW);
    expect(escalated.moment.tier).toBe(1);
    // when the flagger presses Escalate again on the first tier's card
    const again = decide(escalated, { kind: 'escalate', actor: actor(PEOPLE.flagger), fromTier: 0 }, NOW + 1);
    // then they hear where it is, and nothing asks them to decide what they cannot
    expect(again).toMatchObject({ ok: false, code: 'stale_tier' });
    expect(!again.ok && again.message).not.toContain('decide from your newest DM or the card');
    expect(decide(escalated, { kind: 'approve', actor: actor(PEOPLE.flagger), fromTier: 1 }, NOW + 2)).toMatchObject({ ok: false, code: 'own_approval' });
  });

  test('the flagger pressing an older revision is pointed at what they can do: revise while changes are asked, else follow it', () => {
    // given revision 2 sent back for changes again
    const asked = act(flagged(), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
    const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Shorter.' } }, NOW + 1);
    const again = act(revised, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Even shorter', revision: 2 }, NOW + 2);
    // when the flagger presses Escalate on a card still showing revision 1, then while revision 2 waits for changes
    const decided = decide(again, { kind: 'escalate', actor: actor(PEOPLE.flagger), revision: 1 }, NOW + 3);
    // then they are told to revise, not that they will be asked
    expect(decided).toEqual({
      ok: false,
      code: 'stale_revision',
      message: `This was shown on revision 1; the copy has changed since (revision 2). Changes were requested on it by <@${PEOPLE.ana}>: send a new revision with Revise… in your DM.`,
    });
    // and while revision 2 waits for its reviewers, that they are asked now
    const pending = decide(revised, { kind: 'escalate', actor: actor(PEOPLE.flagger), revision: 1 }, NOW + 3);
    expect(!pending.ok && pending.message).toBe('This was shown on revision 1; the copy has changed since (revision 2). Its reviewers are asked about the new revision now.');
  });
});

test('a flagger who reviews (self-approval) and left their role is not sent to a newest DM they do not have', () => {
  const members = { ...MEMBERS, brand: [PEOPLE.ana, PEOPLE.flagger] };
  const asked = act(flagged(topic({ selfApproval: true }), { members }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
  const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Shorter.' } }, NOW + 1);
  const decided = decide(revised, { kind: 'reject', actor: actor(PEOPLE.flagger, []), reason: 'No', revision: 1 }, NOW + 2);
  expect(decided.ok).toBe(false);
  expect(!decided.ok && decided.message).not.toContain('Decide on the latest card');
});

test('a reviewer seated at a later tier only, pressing on the card of this one (racing its update), has no turn yet', () => {
  const asked = act(flagged(CRISIS), { kind: 'request_changes', actor: actor(PEOPLE.leo), comment: 'Name the plant' }, NOW);
  const decided = decide(asked, { kind: 'approve', actor: actor(PEOPLE.lead, ['leads']), revision: 1, fromTier: 0 }, NOW + 1);
  expect(decided).toMatchObject({ ok: false, code: 'not_reviewer' });
});

test('a flagger who reviews (self-approval), pressing an older revision while changes are asked, is told to revise, not to wait', () => {
  // given the flagger is in brand with self-approval, and revision 2 was sent back for changes by ana
  const members = { ...MEMBERS, brand: [PEOPLE.ana, PEOPLE.flagger] };
  const asked = act(flagged(topic({ selfApproval: true }), { members }), { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Shorter' }, NOW);
  const revised = act(asked, { kind: 'revise', actor: actor(PEOPLE.flagger), content: { ...CONTENT, copy: 'Shorter.' } }, NOW + 1);
  const again = act(revised, { kind: 'request_changes', actor: actor(PEOPLE.ana), comment: 'Even shorter', revision: 2 }, NOW + 2);
  // when the flagger, still in brand, presses Approve on their revision-1 DM
  const decided = decide(again, { kind: 'approve', actor: actor(PEOPLE.flagger, ['brand']), revision: 1 }, NOW + 3);
  // then they are pointed at Revise…: nobody else will send the new revision they would be waiting for
  expect(!decided.ok && decided.message).toContain('send a new revision with Revise… in your DM');
  expect(!decided.ok && decided.message).not.toContain('you will be asked again when the new revision comes');
});
