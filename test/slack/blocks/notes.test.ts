import type { Note } from '../../../src/core/notice';
import { noteText } from '../../../src/slack/blocks/notes';
import { CONTENT, CRISIS, flagged, PEOPLE, topic } from '../../core/fixtures';

// A crisis moment: comms and legal, then the leads, then the execs.
const moment = flagged(CRISIS).moment;
const LINK = 'https://slack.example/p1';
const TITLE = '*Oreo: dunk in the dark*';

describe('noteText', () => {
  test.each<[string, Note, string]>([
    ['flagged', { what: 'flagged' }, `⚡ Flagged for review: ${TITLE}. <${LINK}|Open the card>`],
    ['approve', { what: 'approve', userId: PEOPLE.ana, role: 'brand', comment: undefined, tier: 0 }, `✅ <@${PEOPLE.ana}> approved (brand).`],
    ['reject', { what: 'reject', userId: PEOPLE.ana, role: 'brand', comment: 'Off brand', tier: 0 }, `❌ <@${PEOPLE.ana}> rejected (brand).\n> Off brand`],
    [
      'request_changes',
      { what: 'request_changes', userId: PEOPLE.bea, role: 'brand', comment: 'Line 1\nLine 2', tier: 0 },
      `✏️ <@${PEOPLE.bea}> asked for changes to ${TITLE} (brand).\n> Line 1\n> Line 2`,
    ],
    ['escalate', { what: 'escalate', userId: PEOPLE.cal, role: 'comms', comment: undefined, tier: 0 }, `⬆️ <@${PEOPLE.cal}> escalated ${TITLE} to *leads*: any one of them decides. <${LINK}|Open the card>`],
    ['escalate past a tier of nobody', { what: 'escalate', userId: PEOPLE.cal, role: 'comms', comment: undefined, tier: 0, toTier: 2 }, `⬆️ <@${PEOPLE.cal}> escalated ${TITLE} to *execs*: any one of them decides. <${LINK}|Open the card>`],
    ['timeout', { what: 'timeout', userId: undefined, role: undefined, comment: undefined, tier: 1, toTier: 2 }, `⏱️ No decision on ${TITLE} in time: escalated to *execs*, any one of whom decides. <${LINK}|Open the card>`],
    ['withdraw', { what: 'withdraw', userId: PEOPLE.flagger, role: undefined, comment: undefined, tier: 0 }, '↩️ The flagger withdrew this moment.'],
    ['revise', { what: 'revise', userId: PEOPLE.flagger, role: undefined, comment: undefined, tier: 0, voidedApprovals: true }, '📝 The flagger posted a new revision: earlier approvals no longer count.'],
    ['revise with no approval before', { what: 'revise', userId: PEOPLE.flagger, role: undefined, comment: undefined, tier: 0, voidedApprovals: false }, "📝 The flagger posted a new revision: it waits for its reviewers' decision."],
    ['revise queued before it was known', { what: 'revise', userId: PEOPLE.flagger, role: undefined, comment: undefined, tier: 0 }, '📝 The flagger posted a new revision: earlier approvals no longer count.'],
    ['approved', { what: 'approved', userId: PEOPLE.ana, comment: undefined }, `🎉 ${TITLE} is approved. Go post it! <${LINK}|Open the card>`],
    ['rejected', { what: 'rejected', userId: PEOPLE.ana, comment: 'No' }, `❌ ${TITLE} was rejected by <@${PEOPLE.ana}>.\n> No\n<${LINK}|Open the card>`],
    ['expired', { what: 'expired', userId: undefined, comment: undefined }, `⌛ ${TITLE} expired: it was not approved in time. <${LINK}|Open the card>`],
    [
      'expired awaiting the revision',
      { what: 'expired', userId: undefined, comment: undefined, awaitingRevision: true },
      `⌛ ${TITLE} expired: no new revision came in time. <${LINK}|Open the card>`,
    ],
    ['withdrawn', { what: 'withdrawn', userId: PEOPLE.flagger, comment: undefined }, `↩️ ${TITLE} was withdrawn by the flagger. <${LINK}|Open the card>`],
  ])('a %s note reads as one line about it', (_what, note, expected) => {
    expect(noteText(note, moment, LINK)).toBe(expected);
  });

  // As the flagged message's thread is told: nobody named, nobody pinged before a channel wider than the review, and the
  // moment not named by its title (the message is right above; a title may be words written for the review alone).
  test.each<[string, Note, string]>([
    ['flagged', { what: 'flagged' }, `⚡ Flagged for review. <${LINK}|Open the card>`],
    ['approved', { what: 'approved', userId: undefined, comment: undefined }, `🎉 Approved. Go post it! <${LINK}|Open the card>`],
    ['rejected', { what: 'rejected', userId: undefined, comment: undefined }, `❌ Rejected. <${LINK}|Open the card>`],
    ['expired', { what: 'expired', userId: undefined, comment: undefined }, `⌛ Expired: it was not approved in time. <${LINK}|Open the card>`],
    ['withdrawn', { what: 'withdrawn', userId: undefined, comment: undefined }, `↩️ Withdrawn. <${LINK}|Open the card>`],
  ])('a %s note told under the flagged message reads without the title', (_what, note, expected) => {
    expect(noteText(note, moment, LINK, { underTheMessage: true })).toBe(expected);
    expect(noteText(note, moment, LINK, { underTheMessage: true })).not.toContain('Oreo');
  });

  test('an approval of a revision told under the flagged message says the approved copy is not the words above it', () => {
    const revised = { ...moment, revision: 2, content: { ...moment.content, title: 'For legal only' } };
    const text = noteText({ what: 'approved', userId: undefined, comment: undefined }, revised, LINK, { underTheMessage: true });
    expect(text).toBe(`🎉 Approved as revised (revision 2): go post the approved copy, from the card. <${LINK}|Open the card>`);
  });

  test('the flagger is named, not mentioned, in a note about what they did: a mention in the thread would notify them of it', () => {
    // given the flagger escalates, and (self-approval) approves and rejects their own moment
    const notes: Note[] = [
      { what: 'escalate', userId: PEOPLE.flagger, role: undefined, comment: undefined, tier: 0 },
      { what: 'approve', userId: PEOPLE.flagger, role: 'brand', comment: undefined, tier: 0 },
      { what: 'rejected', userId: PEOPLE.flagger, comment: undefined },
    ];
    // then each names them as the flagger (the card says who flagged it), never with a mention
    expect(notes.map((note) => noteText(note, moment, undefined))).toEqual([
      `⬆️ The flagger escalated ${TITLE} to *leads*: any one of them decides.`,
      '✅ The flagger approved (brand).',
      `❌ ${TITLE} was rejected by the flagger.`,
    ]);
  });

  test('a reviewer whose name is known is named, not mentioned, their name escaped; one whose name is not is mentioned', () => {
    const names = new Map([[PEOPLE.ana, 'Ana <!channel> & co']]);
    const approve: Note = { what: 'approve', userId: PEOPLE.ana, role: 'brand', comment: undefined, tier: 0 };
    expect(noteText(approve, moment, undefined, { names })).toBe('✅ *Ana &lt;!channel&gt; &amp; co* approved (brand).');
    expect(noteText({ ...approve, userId: PEOPLE.bea }, moment, undefined, { names })).toBe(`✅ <@${PEOPLE.bea}> approved (brand).`);
    expect(noteText({ what: 'rejected', userId: PEOPLE.ana, comment: undefined }, moment, undefined, { names })).toBe(`❌ ${TITLE} was rejected by *Ana &lt;!channel&gt; &amp; co*.`);
  });

  test("a name with its own asterisks or a direction override stays in its bold and leaves Greenlight's words after it as they are", () => {
    const names = new Map([[PEOPLE.ana, 'Ana*\u202E']]);
    const approve: Note = { what: 'approve', userId: PEOPLE.ana, role: 'brand', comment: undefined, tier: 0 };
    expect(noteText(approve, moment, undefined, { names })).toBe('✅ *Ana∗* approved (brand).');
  });

  test('a note without a card link simply ends, and a note by the clock names Greenlight', () => {
    expect(noteText({ what: 'flagged' }, moment, undefined)).toBe(`⚡ Flagged for review: ${TITLE}.`);
    expect(noteText({ what: 'reject', userId: undefined, role: undefined, comment: undefined, tier: 0 }, moment, undefined)).toBe('❌ Greenlight rejected.');
  });

  test('a title, role and reason that look like Slack markup are escaped', () => {
    const hostile = flagged(topic(), { content: { ...CONTENT, title: '<!channel>' } }).moment;
    const text = noteText({ what: 'reject', userId: PEOPLE.ana, role: '<@U1>', comment: '<!here> & <https://evil|x>', tier: 0 }, hostile, undefined);
    // (the typed link's URL is made a link showing itself, its label left as text: nothing reads other than it links)
    expect(text).toBe(`❌ <@${PEOPLE.ana}> rejected (&lt;@U1&gt;).\n> &lt;!here&gt; &amp; &lt;<https://evil>|x&gt;`);
    expect(noteText({ what: 'approved', userId: PEOPLE.ana, comment: undefined }, hostile, undefined)).toBe('🎉 *&lt;!channel&gt;* is approved. Go post it!');
  });

  test('a very long reason is cut with an ellipsis, the whole quote within 2500 characters', () => {
    const text = noteText({ what: 'rejected', userId: PEOPLE.ana, comment: 'x'.repeat(10_000) }, moment, undefined);
    expect(text).toBe(`❌ ${TITLE} was rejected by <@${PEOPLE.ana}>.\n> ${'x'.repeat(2497)}…`);
  });
});
