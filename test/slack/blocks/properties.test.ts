import fc from 'fast-check';
import type { MomentState, MomentView } from '../../../src/core/moment';
import type { Note } from '../../../src/core/notice';
import type { DmReason } from '../../../src/core/notice';
import { buildCard, buildFlaggerNote, buildReviewDm } from '../../../src/slack/blocks/card';
import { boldTitle } from '../../../src/slack/blocks/mrkdwn';
import { noteText } from '../../../src/slack/blocks/notes';
import { flagged, MINUTE, PEOPLE, T0, topic } from '../../core/fixtures';
import { hasBrokenCharacters, limitViolations, mrkdwnTexts, parsedMrkdwnObjects, withoutBotMarkup } from './block-checks';

/**
 * Whatever people type as title, copy, link, comment or role name (and whatever an admin names a role),
 * every message the bot renders pings nobody, links nowhere it did not mean to, and fits Block Kit.
 */

const RUNS = { numRuns: 200 };
const BOT_IDS = [PEOPLE.flagger, PEOPLE.ana, PEOPLE.bea, PEOPLE.lead];
const PIECES = ['<!channel>', '<!here>', '<!everyone>', '<@U1>', '<#C1>', '<https://evil|click>', '&', '&amp;', '&lt;', '<', '>', '|', '\n', '*', '`', '😀', 'e\u0301', ' ', 'word'];

const mixed = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { maxLength: 40 }).map((parts) => parts.join(''));
/** One pattern repeated up to about 20,000 characters. */
const long = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  .chain((pattern) => fc.integer({ min: 1, max: Math.max(1, Math.floor(20_000 / pattern.length)) }).map((times) => pattern.repeat(times)));
const hostile = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), mixed, long);
const hostileLink = fc.oneof(hostile, hostile.map((rest) => `https://example.com/${rest}`), fc.constant(undefined));

interface Inputs {
  readonly title: string;
  readonly copy: string;
  readonly link: string | undefined;
  readonly comment: string;
  readonly role: string;
  readonly status: MomentState['status'];
  readonly tier: number;
  readonly urgent: boolean;
}

const inputs = (comment: fc.Arbitrary<string>): fc.Arbitrary<Inputs> =>
  fc.record({
    title: hostile,
    copy: hostile,
    link: hostileLink,
    comment,
    role: hostile,
    status: fc.constantFrom<MomentState['status']>('pending', 'changes_requested', 'approved', 'rejected', 'expired', 'withdrawn'),
    tier: fc.constantFrom(0, 1),
    urgent: fc.boolean(),
  });

function viewOf(i: Inputs): MomentView {
  const base = flagged(topic({ require: { [i.role]: 1 }, escalateTo: ['leads'] }), {
    members: { [i.role]: [PEOPLE.ana, PEOPLE.bea], leads: [PEOPLE.lead] },
  });
  // Set after flagging: a flag refuses empty content now, but a stored moment may hold anything and must render.
  const content = { title: i.title, copy: i.copy, link: i.link, urgency: i.urgent ? ('high' as const) : ('normal' as const) };
  const at = T0 + MINUTE;
  const state: MomentState =
    i.status === 'pending'
      ? { status: 'pending' }
      : i.status === 'changes_requested'
        ? { status: 'changes_requested', by: PEOPLE.ana, comment: i.comment }
        : { status: i.status, by: i.status === 'expired' ? undefined : PEOPLE.ana, comment: i.status === 'rejected' ? i.comment : undefined, at };
  const decisions = [{ userId: PEOPLE.ana, role: i.role, action: 'approve' as const, comment: undefined, revision: 1, tier: i.tier, at }];
  return { ...base, moment: { ...base.moment, content, state, tier: i.tier }, decisions };
}

function messagesOf(view: MomentView): { text: string; blocks: ReturnType<typeof buildCard>['blocks'] }[] {
  const reasons: DmReason[] = ['review', 'escalated', 'revised', 'remind'];
  const link = 'https://slack.example/archives/C1/p1';
  // The flagger's request DM, open (this revision) and settled (the one before), with the stored words in it.
  const state = view.moment.state;
  const asked: Note = { what: 'request_changes', userId: PEOPLE.ana, role: view.decisions[0]?.role, comment: 'comment' in state ? state.comment : undefined, tier: view.moment.tier };
  const requests = [view.moment.revision, view.moment.revision - 1].map((askedOn) => buildFlaggerNote(view, asked, link, askedOn));
  return [buildCard(view), ...reasons.map((why) => buildReviewDm(view, PEOPLE.ana, why, link)), ...requests];
}

function notesOf(i: Inputs): Note[] {
  return [
    { what: 'flagged' },
    { what: 'reject', userId: PEOPLE.ana, role: i.role, comment: i.comment, tier: 0 },
    { what: 'request_changes', userId: PEOPLE.ana, role: i.role, comment: i.comment, tier: 0 },
    { what: 'escalate', userId: undefined, role: i.role, comment: i.comment, tier: 1 },
    { what: 'rejected', userId: PEOPLE.ana, comment: i.comment },
    { what: 'approved', userId: PEOPLE.ana, comment: undefined },
  ];
}

/** The user text left in `text` after the bot's own markup is removed: must hold no `<` or `>`. */
function leaks(text: string): boolean {
  return /[<>]/.test(withoutBotMarkup(text, BOT_IDS));
}

describe('the checks themselves', () => {
  test('they pass the bot\'s own markup and catch user markup, broken entities and lone surrogates', () => {
    const own = `> Flagged by <@${PEOPLE.flagger}> <!date^1^{time}|1970-01-01T00:00:01Z> <https://a.com/x|Open the card>\n>`;
    expect([own, 'x &lt;!channel&gt; &amp;'].map(leaks)).toEqual([false, false]);
    expect(['<!channel>', '<@U1>', '<#C1>', 'a > b', '<https://evil|x'].map(leaks)).toEqual([true, true, true, true, true]);
    expect(['&amp;&lt;&gt;😀', '&am', 'a & b', '\uD83D', '\uDE00x'].map(hasBrokenCharacters)).toEqual([false, true, true, true, true]);
  });
});

describe('rendering hostile text', () => {
  test('no card, DM or note carries a mention, channel ping, link or raw < > that came from user text', () => {
    fc.assert(
      fc.property(inputs(hostile), (i) => {
        const view = viewOf(i);
        const texts = [...messagesOf(view).flatMap(mrkdwnTexts), ...notesOf(i).map((n) => noteText(n, view.moment, 'https://slack.example/p1'))];
        expect(texts.filter(leaks)).toEqual([]);
      }),
      RUNS,
    );
  });

  test('every mrkdwn text in a card or DM is verbatim: a typed @channel or @here arriving unescaped stays text', () => {
    fc.assert(
      fc.property(inputs(hostile), (i) => {
        for (const message of messagesOf(viewOf(i))) expect(parsedMrkdwnObjects(message.blocks)).toEqual([]);
      }),
      RUNS,
    );
  });

  test('every card and DM keeps the Block Kit limits and a non-empty fallback text', () => {
    fc.assert(
      fc.property(inputs(hostile), (i) => {
        for (const message of messagesOf(viewOf(i))) expect(limitViolations(message)).toEqual([]);
      }),
      RUNS,
    );
  });

  test('a title shown in bold stays one bold span: two asterisks, both ours, and nothing Slack would parse', () => {
    fc.assert(
      fc.property(hostile, (title) => {
        const bold = boldTitle(title, 200);
        expect(bold.split('*')).toHaveLength(3);
        expect(/[\r\n]/.test(bold)).toBe(false);
        expect(bold.startsWith('*') && bold.endsWith('*')).toBe(true);
        expect(bold.length).toBeLessThanOrEqual(202);
        expect(/[<>]/.test(bold)).toBe(false);
      }),
      RUNS,
    );
  });

  test('a note that names the moment names it as one bold span', () => {
    fc.assert(
      fc.property(inputs(fc.constant('Too loud')), (i) => {
        const view = viewOf(i);
        const flaggedNote = noteText({ what: 'flagged' }, view.moment, undefined);
        expect(flaggedNote).toContain(boldTitle(i.title, 200));
        expect(flaggedNote.split('*')).toHaveLength(3);
      }),
      RUNS,
    );
  });

  test('a note is never empty and stays within a message text limit', () => {
    fc.assert(
      fc.property(inputs(hostile), (i) => {
        const view = viewOf(i);
        for (const note of notesOf(i)) {
          const text = noteText(note, view.moment, undefined);
          expect(text.trim().length).toBeGreaterThan(0);
          expect(text.length).toBeLessThanOrEqual(40_000);
        }
      }),
      RUNS,
    );
  });

  // Comments are fixed here; the tests below fuzz them (a long multi-line comment once broke the status block).
  test('cutting title, copy and role names never leaves half an entity or half a surrogate pair', () => {
    fc.assert(
      fc.property(inputs(fc.constant('Too loud')), (i) => {
        const view = viewOf(i);
        const texts = [...messagesOf(view).flatMap(mrkdwnTexts), ...notesOf(i).map((n) => noteText(n, view.moment, undefined))];
        expect(texts.filter(hasBrokenCharacters)).toEqual([]);
      }),
      RUNS,
    );
  });

  test('a note cuts any comment without leaving half an entity or half a surrogate pair', () => {
    fc.assert(
      fc.property(inputs(hostile), (i) => {
        const view = viewOf(i);
        expect(notesOf(i).map((n) => noteText(n, view.moment, undefined)).filter(hasBrokenCharacters)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('the status block of a rejected or changes-requested card', () => {
  // The comment is quoted ("> " per line) after escaping: a blind cut of the result would split an entity or an
  // emoji and drop the "…". These check the quote is sized for its quoted length instead.
  /** The status text of a card in `status` whose comment is `comment`, for each of five alignments of the cut. */
  function statusTexts(status: 'rejected' | 'changes_requested', comment: string): string[] {
    return [0, 1, 2, 3, 4].map((shift) => {
      const view = viewOf({ title: 't', copy: 'c', link: undefined, comment: `${'x'.repeat(shift)}${comment}`, role: 'brand', status, tier: 0, urgent: false });
      return mrkdwnTexts(buildCard(view)).at(-1) ?? '';
    });
  }

  test('a reason of many short lines with & is cut between entities', () => {
    const texts = statusTexts('rejected', 'a&\n'.repeat(1000));
    expect(texts.filter((t) => t.length > 3000)).toEqual([]);
    expect(texts.filter(hasBrokenCharacters)).toEqual([]);
  });

  test('a change request of many emoji lines is cut between whole characters', () => {
    const texts = statusTexts('changes_requested', '😀\n'.repeat(1000));
    expect(texts.filter((t) => t.length > 3000)).toEqual([]);
    expect(texts.filter(hasBrokenCharacters)).toEqual([]);
  });
});
