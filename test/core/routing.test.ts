import { parseRouting } from '../../src/config';
import { EMPTY_FLAG, flagMoment, NO_COPY } from '../../src/core/flag';
import { assignReviewers, chooseTopic, lastKnownRoster, mistypedTopicTag, planFor, rolesIn, tierReviewers, unstaffedRoles, withMeantTopicTag, withLastKnown, withoutTopicTag, type Roster, type TopicResult } from '../../src/core/routing';
import type { Routing } from '../../src/core/routing-types';
import { CONTENT, CRISIS, flagged, membersFrom, MINUTE, PEOPLE, T0, topic } from './fixtures';

const YAML = `
defaults:
  channel: C0REVIEW
  decide_within: 30m
  remind_at: 50%
  escalate_to: [leads]
roles:
  brand: { members: [U0ANA, U0BEA] }
  comms: { members: [U0CAL] }
  legal: { members: [U0LEO] }
  leads: { members: [U0LEAD] }
topics:
  - name: crisis
    keywords: [outage, recall, c++, "m&a", リコール]
    channel: C0CRISIS
    require: { comms: 1, legal: 1 }
  - name: sports
    keywords: [match, final]
    require: { brand: 1 }
  - name: default
    keywords: [outage]
    require: { brand: 1 }
`;

function routing(): Routing {
  const parsed = parseRouting(YAML, 'routing.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.routing;
}

/** "topic-name | remaining text", or the refusal message. */
function chosen(result: TopicResult): string {
  return result.ok ? `${result.choice.topic.name} | ${result.choice.text}` : `refused: ${result.message}`;
}

describe('chooseTopic', () => {
  test.each([
    ['a trailing #topic is taken and removed from the text', 'Big news: we won #sports', 'sports | Big news: we won'],
    ['a leading #topic is taken and removed', '#Crisis Statement: sorry', 'crisis | Statement: sorry'],
    ['a #topic inside a sentence chooses the topic and stays in the words', 'Tonight: we are #sports fans, all of us', 'sports | Tonight: we are #sports fans, all of us'],
    ['an unknown #tag stays in the text and keywords decide', 'Power outage #blessed', 'crisis | Power outage #blessed'],
    ['a keyword matches whole words in any case', 'The FINAL whistle', 'sports | The FINAL whistle'],
    ['a keyword inside a longer word does not match', 'The finalists are in', 'default | The finalists are in'],
    ['a keyword next to punctuation matches', 'Product recall!', 'crisis | Product recall!'],
    ['a keyword with regex characters matches literally', 'We love c++ too', 'crisis | We love c++ too'],
    ['the first topic in file order wins when several match', 'outage during the match', 'crisis | outage during the match'],
    ['nothing matching falls back to default', 'Hello world', 'default | Hello world'],
    ['a trailing #topic before a full stop is taken, the full stop kept', 'Reply now #crisis.', 'crisis | Reply now.'],
    ['a trailing #topic before an exclamation mark is taken', 'Go team #sports!', 'sports | Go team!'],
    ['a leading #topic with a colon is taken with its colon', '#sports: Big match tonight', 'sports | Big match tonight'],
    ['a #topic in brackets chooses the topic and stays', 'Big night (#sports)', 'sports | Big night (#sports)'],
    ['a #topic after an ideographic space is taken', '今夜の試合\u3000#sports', 'sports | 今夜の試合'],
    ['a hashtag glued to a word is no tag', 'Big night#sports', 'default | Big night#sports'],
    ['a leading #topic takes only a colon with it, never the words: a minus sign stays', '#sports -20% on tickets', 'sports | -20% on tickets'],
    ["a leading #topic before a list keeps the list's first dash", '#crisis\n- Batch 42 recalled\n- Refunds open', 'crisis | - Batch 42 recalled\n- Refunds open'],
    ['a leading #topic before an ellipsis keeps it', '#crisis ...and we are back', 'crisis | ...and we are back'],
    ["a trailing #topic's punctuation is not added to a sentence that has its own", 'Big match tonight! #sports!', 'sports | Big match tonight!'],
    ['a keyword in a script written without spaces matches inside the words', '製品のリコールについて', 'crisis | 製品のリコールについて'],
    ['a keyword with an ampersand matches as typed', 'Our M&A news at noon', 'crisis | Our M&A news at noon'],
    ["a #topic among a post's closing hashtags is taken, the others stay", 'Go team, tip-off at 8! #sports #GameDay', 'sports | Go team, tip-off at 8! #GameDay'],
    ["a #topic last of a post's closing hashtags is taken", 'We are on it. #status #crisis', 'crisis | We are on it. #status'],
    ["a #topic among a post's opening hashtags is taken, the others stay", '#GameDay #sports Tip-off at 8!', 'sports | #GameDay Tip-off at 8!'],
    ['a #topic before words that are not all hashtags stays in the sentence', 'We are #sports fans #GameDay forever', 'sports | We are #sports fans #GameDay forever'],
    ["a #topic first of hashtags on a closing line of their own keeps the line's break", 'Tip-off at 8!\n\n#sports #GameDay', 'sports | Tip-off at 8!\n\n#GameDay'],
    ["a #topic last of hashtags on a closing line of their own keeps the line's break", 'Tip-off at 8!\n\n#GameDay #sports', 'sports | Tip-off at 8!\n\n#GameDay'],
    ['a #topic among hashtags on an opening line of their own keeps the break after it', '#GameDay #sports\nTip-off at 8!', 'sports | #GameDay\nTip-off at 8!'],
  ])('%s', (_name, text, expected) => {
    // given the routing file; when the text is read; then the expected topic and text come out
    expect(chosen(chooseTopic(routing(), text))).toBe(expected);
  });

  test('keywords are looked for in the plain words given, a tag and the text in the text given (Slack\'s form)', () => {
    // given a message as Slack sends it ("M&amp;A") and as it was typed
    expect(chosen(chooseTopic(routing(), 'Our M&amp;A news at noon', undefined, 'Our M&A news at noon'))).toBe('crisis | Our M&amp;A news at noon');
    expect(chosen(chooseTopic(routing(), 'Our M&amp;A news at noon'))).toBe('default | Our M&amp;A news at noon');
  });

  test('a topic chosen in the modal wins over keywords and keeps the text whole', () => {
    expect(chosen(chooseTopic(routing(), 'outage #sports', 'default'))).toBe('default | outage #sports');
  });

  test('a named topic that does not exist is refused with the list of topics', () => {
    expect(chosen(chooseTopic(routing(), 'Hello', 'pets'))).toBe('refused: There is no topic named "pets". Topics: crisis, sports, default.');
  });

  test('routing without a default topic cannot place unmatched text', () => {
    const only: Routing = { roles: {}, topics: [CRISIS] };
    expect(chosen(chooseTopic(only, 'Hello'))).toBe('refused: The routing file has no default topic.');
  });

  test('removing a #topic tag keeps the line breaks of a multi-line copy', () => {
    const result = chooseTopic(routing(), 'Title: line one\nline two #sports');
    expect(chosen(result)).toBe('sports | Title: line one\nline two');
  });

  test('a tag after a message-long run of spaces still counts, and the run is no tag', () => {
    // given the longest run of spaces a message holds (how long reading it takes is measured by the bench: hostile text)
    const spaces = ' '.repeat(40_000);
    // then the trailing tag is taken, and the mistyped-tag check finds nothing to ask about
    expect(chosen(chooseTopic(routing(), `Big win${spaces}#sports`))).toBe('sports | Big win');
    expect(chosen(chooseTopic(routing(), `Big win${spaces}at last`))).toBe(`default | Big win${spaces}at last`);
    expect(mistypedTopicTag(routing(), `a${spaces}b`)).toBeUndefined();
  });

  test('a #topic after an ordinary hashtag is still taken as the topic', () => {
    expect(chosen(chooseTopic(routing(), 'Big win #WorldCup #sports'))).toBe('sports | Big win #WorldCup');
  });
});

describe('withoutTopicTag', () => {
  test.each([
    '#sports: Big match tonight',
    'Big match tonight, free tickets #sports!',
    'Tip-off at 8! #sports #GameDay',
    '#GameDay #sports Go team',
    'Watch the #sports final live',
    'No tag at all',
  ])('takes the tag out of %j as chooseTopic takes out the one naming the topic', (text) => {
    const chosen = chooseTopic(routing(), text);
    if (!chosen.ok) throw new Error(chosen.message);
    expect(withoutTopicTag(text, chosen.choice.tag ?? 'sports')).toBe(chosen.choice.text);
  });
});

describe('withMeantTopicTag', () => {
  test.each([
    ['Dunk it #sprots', 'Dunk it #sports'],
    ['#Sprots: Dunk it', '#sports: Dunk it'],
    ['Dunk it #sprots!', 'Dunk it #sports!'],
    // another hashtag, and the mistyped word where it is no tag, stay as written
    ['#WorldCup sprots#sprots dunk #sprots', '#WorldCup sprots#sprots dunk #sports'],
  ])('"%s" is sent again as "%s"', (typed, meant) => {
    const mistyped = mistypedTopicTag(routing(), typed);
    expect(mistyped).toEqual({ tag: 'sprots', meant: 'sports' });
    expect(withMeantTopicTag(typed, mistyped ?? { tag: '', meant: '' })).toBe(meant);
    expect(chooseTopic(routing(), meant)).toMatchObject({ ok: true, choice: { topic: { name: 'sports' } } });
  });
});

describe('mistypedTopicTag', () => {
  test.each<[string, string | undefined]>([
    ['Big win #sprots', 'sprots -> sports'],
    ['#crsis Outage: we are on it', 'crsis -> crisis'],
    ['Outage: we are on it #crisiss', 'crisiss -> crisis'],
    ['Reply now #crsis.', 'crsis -> crisis'],
    // among the closing or opening hashtags, where a topic's tag would be taken as an instruction
    ['Go team! #sprots #GameDay', 'sprots -> sports'],
    ['#GameDay #sprots Go team!', 'sprots -> sports'],
    ['Go team! #GameDay #sprots #Final.', 'sprots -> sports'],
    ['#GameDay #WorldCup #sprots Go team!', 'sprots -> sports'],
    // the first one found at an edge, in the message's order
    ['#sprts Go team! #crsis', 'sprts -> sports'],
    // a run broken by a word, a line break or more than one mark is no closing run
    ['Go team! #sprots now #GameDay', undefined],
    ['#GameDay\n#sprots Go team!', undefined],
    ['Go team! #sprots #GameDay!!', undefined],
    ['Go team! #sprots!!', 'sprots -> sports'],
    // a topic's name, a hashtag far from any, one inside the sentence, or a short word: the flagger's own words
    ['Big win #sports', undefined],
    ['Big win #WorldCup', undefined],
    ['The #sprots fans went wild today', undefined],
    ['Big win #spot', undefined],
    ['No tag at all', undefined],
    // once a tag names a topic, any other hashtag is the flagger's, however close
    ['#sports Final whistle: what a night #sport', undefined],
    ['Final whistle #sprots #sports', undefined],
  ])('%s', (text, expected) => {
    const found = mistypedTopicTag(routing(), text);
    expect(found === undefined ? undefined : `${found.tag} -> ${found.meant}`).toBe(expected);
  });
});

describe('planFor, assignReviewers and unstaffedRoles', () => {
  test('the plan has the topic roles as tier 0 and one tier per escalation role', () => {
    expect(planFor(CRISIS)).toEqual({
      tiers: [{ require: { comms: 1, legal: 1 } }, { require: { leads: 1 } }, { require: { execs: 1 } }],
      decideWithinMs: 10 * MINUTE,
      remindAtFraction: 0.5,
      selfApproval: false,
    });
  });

  test('every tier gets the members of its roles, each person once per role', () => {
    const assignments = assignReviewers(planFor(topic()), membersFrom({ brand: [PEOPLE.ana, PEOPLE.ana, PEOPLE.bea], leads: [PEOPLE.lead] }));
    expect(assignments).toEqual([
      { tier: 0, role: 'brand', userId: PEOPLE.ana },
      { tier: 0, role: 'brand', userId: PEOPLE.bea },
      { tier: 1, role: 'leads', userId: PEOPLE.lead },
    ]);
  });

  test('a tier-0 role staffed only by the flagger, or by too few people, is unstaffed', () => {
    const plan = planFor(topic({ require: { brand: 2, comms: 1 } }));
    const assignments = assignReviewers(plan, membersFrom({ brand: [PEOPLE.ana, PEOPLE.flagger], comms: [PEOPLE.cal] }));
    expect(unstaffedRoles(plan, assignments, PEOPLE.flagger)).toEqual(['brand']);
    const selfPlan = planFor(topic({ require: { brand: 2 }, selfApproval: true }));
    expect(unstaffedRoles(selfPlan, assignReviewers(selfPlan, membersFrom({ brand: [PEOPLE.ana, PEOPLE.flagger] })), PEOPLE.flagger)).toEqual([]);
  });
});

describe('flagMoment', () => {
  test('a flag builds a pending moment at revision 1, tier 0, due after the window, with its first deadlines', () => {
    // given the crisis topic; when someone flags at T0
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: { channel: 'C0SRC', ts: '1.2' } }, membersFrom({ comms: [PEOPLE.cal], legal: [PEOPLE.leo] }), T0);
    // then the moment is pending, sent to the crisis channel, with remind and timeout deadlines
    expect(result.ok && result.flagged.moment).toEqual({
      topic: 'crisis',
      reviewChannel: 'C0CRISIS',
      flaggerId: PEOPLE.flagger,
      source: { channel: 'C0SRC', ts: '1.2' },
      content: CONTENT,
      plan: planFor(CRISIS),
      state: { status: 'pending' },
      tier: 0,
      revision: 1,
      createdAt: T0,
      dueAt: T0 + 10 * MINUTE,
    });
    expect(result.ok && result.flagged.deadlines.map((d) => [d.kind, d.dueAt - T0])).toEqual([
      ['remind', 5 * MINUTE],
      ['timeout', 10 * MINUTE],
    ]);
  });

  test('a flag with nothing to put on the card (no title, no copy) is refused', () => {
    const empty = { ...CONTENT, title: ' ', copy: '' };
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: empty, topic: CRISIS, source: undefined }, membersFrom({ comms: [PEOPLE.cal], legal: [PEOPLE.leo] }), T0);
    expect(result).toEqual({ ok: false, message: EMPTY_FLAG });
  });

  test('a flag with a title and no copy is refused, asking for the copy', () => {
    const titleOnly = { ...CONTENT, title: 'Oreo', copy: ' ' };
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: titleOnly, topic: CRISIS, source: undefined }, membersFrom({ comms: [PEOPLE.cal], legal: [PEOPLE.leo] }), T0);
    expect(result).toEqual({ ok: false, message: NO_COPY });
  });

  test('a flag whose roles nobody can approve is refused with a message naming them', () => {
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom({ comms: [PEOPLE.cal] }), T0);
    expect(result).toEqual({ ok: false, message: 'Nobody can approve for "legal" in topic "crisis" yet: ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know).' });
  });

  test('a flagger who is the only member of a required role is told their own approval does not count', () => {
    // given comms has the flagger alone and legal nobody
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom({ comms: [PEOPLE.flagger] }), T0);
    // then "nobody can approve" would read as wrong to someone in the role: each role is explained by its own cause
    expect(result).toEqual({
      ok: false,
      message:
        'You are the only reviewer in "comms" for topic "crisis", and your own approval does not count (the routing file\'s self_approval is off): someone else has to approve, so ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know). ' +
        'Nobody can approve for "legal" in topic "crisis" yet: ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know).',
    });
  });

  test('a role nobody is found in because Slack has not been read yet is refused as a Slack problem, the others as routing gaps', () => {
    // given legal's user group could not be read, and comms has only the flagger
    const unread = new Set(['legal']);
    // when someone flags a crisis moment
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom({ comms: [PEOPLE.flagger] }), T0, unread);
    // then each role is explained by its own cause
    expect(result).toEqual({
      ok: false,
      message:
        'Greenlight could not read from Slack who is in "legal" yet, so nobody can be asked to approve for topic "crisis". It is asking Slack again: flag this again in a minute. If it keeps happening, whoever runs Greenlight will find why in its log. ' +
        'You are the only reviewer in "comms" for topic "crisis", and your own approval does not count (the routing file\'s self_approval is off): someone else has to approve, so ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know).',
    });
  });

  test('an unread role with members already known is no reason to refuse', () => {
    const members = membersFrom({ comms: [PEOPLE.cal], legal: [PEOPLE.leo] });
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, members, T0, new Set(['legal']));
    expect(result.ok).toBe(true);
  });

  test('a flag whose two required roles have one and the same only member is refused: one person cannot give both approvals', () => {
    // given crisis needs comms 1 + legal 1, and cal is the only member of both
    const members = membersFrom({ comms: [PEOPLE.cal], legal: [PEOPLE.cal] });
    // when someone flags a crisis moment
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, members, T0);
    // then it is refused up front, instead of waiting forever for legal after cal approves
    expect(result).toEqual({
      ok: false,
      message:
        'Topic "crisis" needs 2 approvals from different people for "comms", "legal", but only 1 person in these roles can approve it: ' +
        'ask whoever runs Greenlight to add reviewers to the role, in the routing file (read when Greenlight starts) or its Slack user group (the log names any email or group Slack does not know).',
    });
  });

  test('brand 2 + comms 1 with brand [ana, cal] and comms [cal] is refused: three approvals, two people', () => {
    const t = topic({ require: { brand: 2, comms: 1 } });
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: t, source: undefined }, membersFrom({ brand: [PEOPLE.ana, PEOPLE.cal], comms: [PEOPLE.cal] }), T0);
    expect(result.ok || result.message).toContain('needs 3 approvals from different people for "brand", "comms", but only 2 people');
  });

  test('the flagger is not counted among the different people unless self-approval is on', () => {
    // given brand 1 + comms 1, brand = [ana, the flagger], comms = [ana]
    const t = topic({ require: { brand: 1, comms: 1 } });
    const members = membersFrom({ brand: [PEOPLE.ana, PEOPLE.flagger], comms: [PEOPLE.ana] });
    const flag = (selfApproval: boolean) =>
      flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: { ...t, selfApproval }, source: undefined }, members, T0).ok;
    // then only ana is left to approve, and the flag is refused; with self-approval the flagger fills brand
    expect(flag(false)).toBe(false);
    expect(flag(true)).toBe(true);
  });

  test('roles sharing a person are accepted when someone else can fill the other seat', () => {
    // given cal is in comms and legal, and leo in legal too
    const result = flagMoment({ flaggerId: PEOPLE.flagger, content: CONTENT, topic: CRISIS, source: undefined }, membersFrom({ comms: [PEOPLE.cal], legal: [PEOPLE.cal, PEOPLE.leo] }), T0);
    expect(result.ok).toBe(true);
  });
});

describe('tierReviewers', () => {
  test('the roster counts a member in their role, not someone who left it; an unread role, a role it does not know (gone from the routing file), or no roster, trusts the assignment', () => {
    // given a crisis moment: cal in comms and leo in legal at tier 0
    const view = flagged(CRISIS);
    const people = (roster: Roster | undefined) => tierReviewers(view, 0, roster).map((a) => a.userId);
    const roster = (members: Record<string, string[]>, unread: string[] = []): Roster => ({ members: new Map(Object.entries(members)), unread: new Set(unread) });
    expect(people(roster({ comms: [PEOPLE.cal], legal: [PEOPLE.leo] }))).toContain(PEOPLE.cal);
    expect(people(roster({ comms: [], legal: [PEOPLE.leo] }))).not.toContain(PEOPLE.cal);
    expect(people(roster({ comms: [PEOPLE.cal], legal: [] }, ['legal']))).toContain(PEOPLE.leo);
    expect(people(roster({ legal: [PEOPLE.leo] }))).toContain(PEOPLE.cal);
    expect(people(undefined)).toEqual([PEOPLE.cal, PEOPLE.leo]);
  });

  test('a person holds the roles the roster lists them in, every unread role, and every role it does not know, which iterating leaves out', () => {
    const roster: Roster = { members: new Map([['comms', [PEOPLE.cal]], ['legal', []]]), unread: new Set() };
    const held = rolesIn(roster, PEOPLE.cal);
    expect([...held]).toEqual(['comms']);
    expect(held.has('comms')).toBe(true);
    expect(held.has('legal')).toBe(false);
    // "brand", gone from the routing file, is held by whoever a moment assigned to it
    expect(held.has('brand')).toBe(true);
  });
});

describe('the roster saved as the one the messages show', () => {
  const roster = (members: Record<string, string[]>, unread: string[] = []): Roster => ({ members: new Map(Object.entries(members)), unread: new Set(unread) });

  test('an unread role keeps the members last shown, or has none when none were; read roles are as read', () => {
    const shown = roster({ legal: ['U0LEO'], comms: ['U0CAL'] });
    const saved = withLastKnown(roster({ legal: [], comms: ['U0CAL', 'U0BEA'] }, ['legal']), shown);
    expect(saved).toEqual(roster({ legal: ['U0LEO'], comms: ['U0CAL', 'U0BEA'] }, ['legal']));
    expect(withLastKnown(roster({ legal: ['U0PARTIAL'] }, ['legal']), undefined)).toEqual(roster({}, ['legal']));
  });

  test('an unread role with members known is read as those members once it is read now; one with none, or still unread, stays unread', () => {
    const readNow = roster({ legal: [], leads: [] });
    expect(lastKnownRoster(roster({ legal: ['U0LEO'] }, ['legal', 'leads']), readNow)).toEqual(roster({ legal: ['U0LEO'] }, ['leads']));
    expect(lastKnownRoster(roster({ legal: ['U0LEO'] }, ['legal']), roster({ legal: [] }, ['legal']))).toEqual(roster({ legal: ['U0LEO'] }, ['legal']));
    const allRead = roster({ legal: ['U0LEO'] });
    expect(lastKnownRoster(allRead, readNow)).toBe(allRead);
  });
});
